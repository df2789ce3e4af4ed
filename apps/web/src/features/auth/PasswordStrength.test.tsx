import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PasswordStrength } from './PasswordStrength';

describe('password strength hint', () => {
  it('calls a common password weak and a long random one strong', async () => {
    const { rerender } = render(<PasswordStrength id="s" password="password1" userInputs={[]} />);
    expect(await screen.findByText(/Password strength: (Very weak|Weak)/)).toBeInTheDocument();

    rerender(<PasswordStrength id="s" password="violet-Tractor-49-moonlight" userInputs={[]} />);
    expect(await screen.findByText(/Password strength: (Good|Strong)/)).toBeInTheDocument();
  });

  it('counts the username as easy to guess', async () => {
    render(<PasswordStrength id="s" password="gracehopper1906" userInputs={['gracehopper1906']} />);
    expect(await screen.findByText(/Password strength: (Very weak|Weak)/)).toBeInTheDocument();
  });

  it('says nothing for an empty password', () => {
    render(<PasswordStrength id="s" password="" userInputs={[]} />);
    expect(screen.queryByText(/Password strength/)).not.toBeInTheDocument();
  });
});

import { StrictMode } from 'react';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { installFakeFetch, unauthorized } from '../test/fakeFetch';
import { makeAuthResponse, makeToken, makeUser } from '../test/fixtures';
import { installFakeSocket } from '../test/fakeSocket';

vi.mock('../lib/socket', () => import('../test/fakeSocket').then((m) => m.fakeSocketModule));

function renderApp() {
  return render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

describe('auth flow', () => {
  beforeEach(() => {
    installFakeSocket();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows a neutral loading state, then the sign-in form when there is no session', async () => {
    const { routes } = installFakeFetch();
    let answerRefresh: () => void = () => undefined;
    routes['POST /api/auth/refresh'] = () => unauthorized;
    const fetchGate = new Promise<void>((resolve) => (answerRefresh = resolve));
    const realFetch = globalThis.fetch;
    vi.stubGlobal('fetch', async (...args: Parameters<typeof fetch>) => {
      await fetchGate;
      return realFetch(...args);
    });

    renderApp();
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
    answerRefresh();
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('registers a new account and shows who I am', async () => {
    const user = userEvent.setup();
    const response = makeAuthResponse(makeUser({ username: 'grace', displayName: 'Grace Hopper' }));
    const { calls } = installFakeFetch({
      'POST /api/auth/refresh': () => unauthorized,
      'POST /api/auth/register': () => ({ status: 201, body: response }),
    });
    renderApp();

    await user.click(await screen.findByRole('button', { name: 'Register instead' }));
    await user.type(screen.getByLabelText('Username'), 'grace');
    await user.type(screen.getByLabelText('Display name'), 'Grace Hopper');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByText('Grace Hopper')).toBeInTheDocument();
    expect(screen.getByText('@grace')).toBeInTheDocument();
    expect(calls.find((call) => call.url === '/api/auth/register')?.body).toEqual({
      username: 'grace',
      password: 'correct horse',
      displayName: 'Grace Hopper',
    });
  });

  it("shows the server's error message and re-enables the form", async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'POST /api/auth/refresh': () => unauthorized,
      'POST /api/auth/login': () => ({
        status: 401,
        body: { error: { code: 'INVALID_CREDENTIALS', message: 'Wrong username or password' } },
      }),
    });
    renderApp();

    await user.type(await screen.findByLabelText('Username'), 'ada');
    await user.type(screen.getByLabelText('Password'), 'not the password');
    const submit = screen.getByRole('button', { name: 'Sign in' });
    await user.click(submit);

    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password');
    expect(submit).toBeEnabled();
  });

  it('disables the submit button while the request is in flight', async () => {
    const user = userEvent.setup();
    let finishLogin: () => void = () => undefined;
    const { routes } = installFakeFetch({ 'POST /api/auth/refresh': () => unauthorized });
    routes['POST /api/auth/login'] = () => ({ body: makeAuthResponse() });
    renderApp();
    await user.type(await screen.findByLabelText('Username'), 'ada');
    await user.type(screen.getByLabelText('Password'), 'password123');

    const realFetch = globalThis.fetch;
    const loginGate = new Promise<void>((resolve) => (finishLogin = resolve));
    vi.stubGlobal('fetch', async (...args: Parameters<typeof fetch>) => {
      await loginGate;
      return realFetch(...args);
    });
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled();
    finishLogin();
    expect(await screen.findByRole('button', { name: 'Sign out' })).toBeInTheDocument();
  });

  it('restores the session silently from the refresh cookie, with a single refresh under StrictMode', async () => {
    const { calls } = installFakeFetch({
      'POST /api/auth/refresh': () => ({ body: makeAuthResponse() }),
    });
    renderApp();

    expect(await screen.findByText('Ada Lovelace')).toBeInTheDocument();
    expect(calls.filter((call) => call.url === '/api/auth/refresh')).toHaveLength(1);
  });

  it('refreshes the access token a minute before it expires, and signs out when that fails', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const first = { user: makeAuthResponse().user, accessToken: makeToken(120) };
    const refreshAnswers = [{ body: first }, { body: { ...first, accessToken: makeToken(900) } }, unauthorized];
    const { calls } = installFakeFetch({
      'POST /api/auth/refresh': () => refreshAnswers.shift() ?? unauthorized,
    });
    renderApp();
    await screen.findByText('Ada Lovelace');
    const refreshes = () => calls.filter((call) => call.url === '/api/auth/refresh').length;

    await vi.advanceTimersByTimeAsync(59_000);
    expect(refreshes()).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(refreshes()).toBe(2);
    expect(screen.getByText('Ada Lovelace')).toBeInTheDocument();

    // Let React commit the new token (its effect schedules the next refresh), then wait that out.
    await act(async () => {});
    await vi.advanceTimersByTimeAsync(900_000);
    expect(refreshes()).toBe(3);
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('keeps the session when the server cannot be reached to refresh, and tries again', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const first = { user: makeAuthResponse().user, accessToken: makeToken(120) };
    const answers: (() => { body: unknown })[] = [
      () => ({ body: first }),
      () => {
        throw new TypeError('Failed to fetch');
      },
      () => ({ body: { ...first, accessToken: makeToken(900) } }),
    ];
    const { calls } = installFakeFetch({
      'POST /api/auth/refresh': () => (answers.shift() ?? (() => unauthorized))(),
    });
    renderApp();
    await screen.findByText('Ada Lovelace');
    const refreshes = () => calls.filter((call) => call.url === '/api/auth/refresh').length;

    await vi.advanceTimersByTimeAsync(61_000);
    expect(refreshes()).toBe(2);
    expect(screen.getByText('Ada Lovelace')).toBeInTheDocument();

    await vi.advanceTimersByTimeAsync(10_000);
    expect(refreshes()).toBe(3);
    expect(screen.getByText('Ada Lovelace')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign in' })).not.toBeInTheDocument();
  });

  it('signs out: tells the server and returns to the sign-in screen', async () => {
    const user = userEvent.setup();
    const { calls } = installFakeFetch({
      'POST /api/auth/refresh': () => ({ body: makeAuthResponse() }),
      'POST /api/auth/logout': () => ({ status: 204 }),
    });
    renderApp();

    await user.click(await screen.findByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(calls.some((call) => call.method === 'POST' && call.url === '/api/auth/logout')).toBe(true);
    await waitFor(() => expect(screen.queryByText('Ada Lovelace')).not.toBeInTheDocument());
  });
});

import { useId, type ReactNode } from 'react';

/** One titled card of the settings screen, labelled by its heading. */
export function AccountSection({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="account__section" aria-labelledby={headingId}>
      <h2 id={headingId} className="account__heading">
        {title}
      </h2>
      {children}
    </section>
  );
}

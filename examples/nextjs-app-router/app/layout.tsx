import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { AuthStatus } from './AuthStatus';
import { Providers } from './providers';

export const metadata: Metadata = {
  title: 'react-coze-auth · Next.js App Router',
};

// A server component: it renders the client providers around every page.
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem auto', maxWidth: '40rem' }}>
        <Providers>
          <header style={{ display: 'flex', gap: '1rem', alignItems: 'center' }}>
            <nav style={{ display: 'flex', gap: '1rem' }}>
              <Link href="/">Home</Link>
              <Link href="/protected">Protected</Link>
              <Link href="/me">Me</Link>
            </nav>
            <AuthStatus />
          </header>
          <main>{children}</main>
        </Providers>
      </body>
    </html>
  );
}

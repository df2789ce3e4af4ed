import { BrowserRouter } from 'react-router';
import { AuthProvider, useAuth } from '../features/auth/AuthContext';
import { AuthScreen } from '../features/auth/AuthScreen';
import { SignedInApp } from './SignedInApp';

function AuthGate() {
  const { state } = useAuth();
  switch (state.status) {
    case 'loading':
      return (
        <main className="splash" aria-busy="true">
          <p role="status">Loading…</p>
        </main>
      );
    case 'signedOut':
      return <AuthScreen />;
    case 'signedIn':
      // Keyed by user: a different account gets fresh state, never the previous one's.
      return <SignedInApp key={state.user.id} user={state.user} accessToken={state.accessToken} />;
  }
}

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <AuthGate />
      </AuthProvider>
    </BrowserRouter>
  );
}

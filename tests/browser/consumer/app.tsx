// A React 19 page: <anypoint-signin> in JSX with typed attributes and event handlers (no annotations: the
// event types come from 'anypoint-signin/react').
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'anypoint-signin/react';

function App({ issuer, origin }: { issuer: string; origin: string }) {
  const [who, setWho] = useState('nobody');
  const [error, setError] = useState('');
  return (
    <>
      <anypoint-signin id="signin" clientid="anypoint-signin-demo" authority={issuer} redirecturi={`${origin}/react.html`}
        storage="session" onanypoint-signin={(event) => setWho(event.detail.profile.name ?? event.detail.accessToken)}
        onanypoint-signin-error={(event) => setError(`${event.detail.code}: ${event.detail.message}`)} />
      <p id="who">{who}</p>
      <p id="error">{error}</p>
    </>
  );
}

const root = document.getElementById('root')!;
createRoot(root).render(<App issuer={root.dataset.issuer!} origin={root.dataset.origin!} />);

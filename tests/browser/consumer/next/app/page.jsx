// Rendered on the server for every request (the issuer and the origin are the site's, known at run time);
// the element itself is in a client component.
import { SignIn } from './signin';

export const dynamic = 'force-dynamic';

export default function Page() {
  return (
    <main>
      <h1>Next.js consumer</h1>
      <SignIn issuer={process.env.ANYPOINT_ISSUER} origin={process.env.SITE_ORIGIN} />
    </main>
  );
}

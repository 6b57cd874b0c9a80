// No favicon to request (a 404 would be a console error).
export const metadata = { title: 'Next.js consumer', icons: { icon: 'data:,' } };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}

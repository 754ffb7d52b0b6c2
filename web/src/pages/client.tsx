export function ClientPage() {
  return <h1>Coming soon</h1>;
}

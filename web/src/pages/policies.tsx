export function PoliciesPage() {
  return <h1>Coming soon</h1>;
}

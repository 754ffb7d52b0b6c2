export function ReportsPage() {
  return <h1>Coming soon</h1>;
}

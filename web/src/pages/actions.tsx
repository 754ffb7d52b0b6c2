export function ActionsPage() {
  return <h1>Coming soon</h1>;
}

export function FindingsPage() {
  return <div class="page"><h1>Findings</h1></div>;
}

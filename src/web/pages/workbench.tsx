export function WorkbenchPage() {
  return <div class="page"><h1>Workbench</h1></div>;
}

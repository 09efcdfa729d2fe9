export function InventoryPage() {
  return <div class="page"><h1>Inventory</h1></div>;
}

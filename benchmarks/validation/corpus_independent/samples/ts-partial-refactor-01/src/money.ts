export function formatPrice(cents: number, currency = 'EUR'): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(cents / 100);
}

export function addVat(cents: number, rate = 0.19): number {
  return Math.round(cents * (1 + rate));
}

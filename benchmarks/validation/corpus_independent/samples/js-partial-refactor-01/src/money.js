export function formatPrice(cents, currency = 'EUR') {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(cents / 100);
}

export function addVat(cents, rate = 0.19) {
  return Math.round(cents * (1 + rate));
}

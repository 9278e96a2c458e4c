export interface ReservationSummary {
  id: string;
  total: number;
}

export function grandTotal(rows: readonly ReservationSummary[]): number {
  return rows.reduce((sum, row) => sum + row.total, 0);
}

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  name: string;
  value: number;
  labels: Labels;
  at: number;
}

export interface Exporter {
  export(samples: readonly Sample[]): Promise<void>;
}

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function key(name: string, labels: Labels): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name}{${parts.join(',')}}`;
}

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private total = 0;

  constructor(readonly name: string, private readonly buckets: number[] = DEFAULT_BUCKETS) {
    if (buckets.some((b, i) => i > 0 && b <= buckets[i - 1])) {
      throw new RangeError(`${name}: buckets must increase`);
    }
    this.counts = new Array(buckets.length + 1).fill(0);
  }

  observe(value: number): void {
    let i = this.buckets.findIndex((b) => value <= b);
    if (i === -1) i = this.buckets.length;
    this.counts[i] += 1;
    this.sum += value;
    this.total += 1;
  }

  quantile(q: number): number {
    if (q < 0 || q > 1) throw new RangeError('q must be within [0, 1]');
    if (this.total === 0) return Number.NaN;
    const rank = q * this.total;
    let seen = 0;
    for (let i = 0; i < this.counts.length; i += 1) {
      seen += this.counts[i];
      if (seen >= rank) return this.buckets[Math.min(i, this.buckets.length - 1)];
    }
    return this.buckets[this.buckets.length - 1];
  }

  mean(): number {
    return this.total === 0 ? Number.NaN : this.sum / this.total;
  }
}

export class Registry {
  private readonly counters = new Map<string, Sample>();
  private readonly histograms = new Map<string, Histogram>();

  constructor(private readonly clock: () => number = Date.now) {}

  increment(name: string, labels: Labels = {}, by = 1): void {
    if (by < 0) throw new RangeError('counters only go up');
    const k = key(name, labels);
    const current = this.counters.get(k);
    const value = (current?.value ?? 0) + by;
    this.counters.set(k, { name, labels, value, at: this.clock() });
  }

  histogram(name: string): Histogram {
    let h = this.histograms.get(name);
    if (!h) {
      h = new Histogram(name);
      this.histograms.set(name, h);
    }
    return h;
  }

  snapshot(): Sample[] {
    const now = this.clock();
    const out = [...this.counters.values()];
    for (const [name, h] of this.histograms) {
      out.push({ name: `${name}_mean`, labels: {}, value: h.mean(), at: now });
      out.push({ name: `${name}_p99`, labels: {}, value: h.quantile(0.99), at: now });
    }
    return out;
  }
}

export function toText(samples: readonly Sample[]): string {
  return samples.map((s) => `${key(s.name, s.labels)} ${s.value} ${s.at}`).join('\n') + '\n';
}

import { Exporter, Sample } from './registry.js';

export abstract class BatchingExporter implements Exporter {
  protected buffer: Sample[] = [];

  protected abstract send(batch: Sample[]): Promise<void>;

  protected async flushBuffer(): Promise<number> {
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length > 0) await this.send(batch);
    return batch.length;
  }

  async export(samples: readonly Sample[]): Promise<void> {
    this.buffer.push(...samples);
    await this.flushBuffer();
  }
}


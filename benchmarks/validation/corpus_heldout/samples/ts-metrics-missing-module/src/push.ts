import { postText } from './http/client.js';
import { withRetry } from './http/retry.js';
import { Exporter, Sample, toText } from './registry.js';

export class PushExporter implements Exporter {
  constructor(private readonly url: string, private readonly job: string) {}

  async export(samples: readonly Sample[]): Promise<void> {
    const body = toText(samples);
    const status = await withRetry(() => postText(`${this.url}/metrics/job/${this.job}`, body), { attempts: 3 });
    if (status >= 300) {
      throw new Error(`push gateway answered ${status}`);
    }
  }
}


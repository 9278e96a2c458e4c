import { readFile } from 'node:fs/promises'
import { XMLParser } from 'fast-xml-parser'

const parser = new XMLParser({ ignoreAttributes: false })

// Top-level await is valid here: this file is an ES module ("type": "module").
const feeds = JSON.parse(await readFile(new URL('../feeds.json', import.meta.url), 'utf8'))

class FeedCache {
  #entries = new Map()
  static #maxAgeMs = 10 * 60_000

  fresh(url) {
    const hit = this.#entries.get(url)
    return hit && Date.now() - hit.at < FeedCache.#maxAgeMs ? hit.items : undefined
  }

  store(url, items) {
    this.#entries.set(url, { at: Date.now(), items })
  }
}

const cache = new FeedCache()

function itemsOf(doc) {
  const channel = doc?.rss?.channel ?? doc?.feed
  const raw = channel?.item ?? channel?.entry ?? []
  return (Array.isArray(raw) ? raw : [raw]).map((it) => ({
    title: it.title?.['#text'] ?? it.title,
    link: it.link?.['@_href'] ?? it.link,
    date: new Date(it.pubDate ?? it.updated ?? 0),
  }))
}

function fetchAll(urls, onError) {
  // The outer function is synchronous; each callback is its own async
  // function, so the awaits below are inside async code.
  return Promise.all(urls.map(async (url) => {
    const cached = cache.fresh(url)
    if (cached) return cached
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(8_000) })
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`)
      const items = itemsOf(parser.parse(await res.text()))
      cache.store(url, items)
      return items
    } catch (err) {
      onError?.(err)
      return []
    }
  }))
}

const failures = []
const lists = await fetchAll(feeds.map((f) => f.url), (err) => failures.push(err.message))
const latest = lists
  .flat()
  .filter((it) => /^https?:\/\//.test(it.link ?? ''))
  .sort((a, b) => b.date - a.date)
  .slice(0, 1_000)

for (const item of latest.slice(0, 20)) {
  console.log(`${item.date.toISOString().slice(0, 10)}  ${item.title}`)
}
if (failures.length) {
  console.error(`${failures.length} feed(s) failed:\n${failures.join('\n')}`)
  process.exitCode = 1
}

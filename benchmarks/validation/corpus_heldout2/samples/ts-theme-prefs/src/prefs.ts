export interface Prefs {
  theme: 'light' | 'dark' | 'system';
  fontScale: number;
}

const KEY = 'reader-prefs:v2';
const DEFAULTS: Prefs = { theme: 'system', fontScale: 1 };

function coerce(value: unknown): Prefs {
  if (!value || typeof value !== 'object') return DEFAULTS;
  const v = value as Partial<Prefs>;
  return {
    theme: v.theme === 'light' || v.theme === 'dark' || v.theme === 'system' ? v.theme : DEFAULTS.theme,
    fontScale: typeof v.fontScale === 'number' && v.fontScale >= 0.75 && v.fontScale <= 2 ? v.fontScale : 1,
  };
}

export function load(storage: Storage = window.localStorage): Prefs {
  const raw = storage.getItem(KEY);
  if (raw === null) return DEFAULTS;
  try {
    return coerce(JSON.parse(raw));
  } catch {
    // A corrupt value (edited by hand, truncated) is replaced by defaults and
    // overwritten on the next save.
    return DEFAULTS;
  }
}

export function save(prefs: Prefs, storage: Storage = window.localStorage): boolean {
  try {
    storage.setItem(KEY, JSON.stringify(prefs));
    return true;
  } catch (err) {
    // Safari private mode and full quotas throw here; the page keeps working
    // with in-memory preferences and the caller learns it was not persisted.
    if (err instanceof DOMException) return false;
    throw err;
  }
}

export function apply(prefs: Prefs, root: HTMLElement = document.documentElement): void {
  const dark =
    prefs.theme === 'dark' ||
    (prefs.theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  root.dataset.theme = dark ? 'dark' : 'light';
  root.style.setProperty('--font-scale', String(prefs.fontScale));
}

export function watchSystemTheme(getPrefs: () => Prefs): () => void {
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  const onChange = () => apply(getPrefs());
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

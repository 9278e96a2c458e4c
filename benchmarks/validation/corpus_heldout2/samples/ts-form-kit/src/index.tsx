import { useCallback, useMemo, useState, type ChangeEvent, type ReactNode } from 'react';

type FieldKind = 'text' | 'email' | 'number';
type FieldName<T> = Extract<keyof T, string>;
type Errors<T> = Partial<Record<FieldName<T>, string>>;
type EventName<K extends string> = `on${Capitalize<K>}Change`;

export enum Severity {
  Info = 'info',
  Error = 'error',
}

export interface FieldSpec<V> {
  kind: FieldKind;
  label: string;
  validate?: (value: V) => string | undefined;
}

export type Schema<T> = { [K in FieldName<T>]: FieldSpec<T[K]> };

const emailPattern = /^[^@\s]+@[^@\s]+$/ satisfies RegExp;

export const required = <V,>(message = 'Required') => (value: V) =>
  value === '' || value === undefined || value === null ? message : undefined;

export const email = (value: string) => (emailPattern.test(value) ? undefined : 'Not an email address');

export function useForm<T extends Record<string, unknown>>(schema: Schema<T>, initial: T) {
  const [values, setValues] = useState<T>(initial);
  const [touched, setTouched] = useState<Partial<Record<FieldName<T>, boolean>>>({});

  const errors = useMemo(() => {
    const out: Errors<T> = {};
    for (const name of Object.keys(schema) as FieldName<T>[]) {
      const message = schema[name].validate?.(values[name]);
      if (message) out[name] = message;
    }
    return out;
  }, [schema, values]);

  const bind = useCallback(
    <K extends FieldName<T>>(name: K) => ({
      name,
      type: schema[name].kind,
      value: String(values[name] ?? ''),
      onChange: (e: ChangeEvent<HTMLInputElement>) => {
        const raw = e.target.value;
        const next = (schema[name].kind === 'number' ? Number(raw) : raw) as T[K];
        setValues((prev) => ({ ...prev, [name]: next }));
      },
      onBlur: () => setTouched((prev) => ({ ...prev, [name]: true })),
      'aria-invalid': touched[name] && errors[name] ? true : undefined,
    }),
    [schema, values, touched, errors],
  );

  return { values, errors, touched, bind, valid: Object.keys(errors).length === 0 } as const;
}

export function Field<T extends Record<string, unknown>>(props: {
  form: ReturnType<typeof useForm<T>>;
  name: FieldName<T>;
  label: ReactNode;
}) {
  const { form, name, label } = props;
  const error = form.touched[name] ? form.errors[name] : undefined;
  return (
    <label className="field">
      <span>{label}</span>
      <input {...form.bind(name)} />
      {error && <small role="alert" data-severity={Severity.Error}>{error}</small>}
    </label>
  );
}

export abstract class Submitter<T> {
  protected abstract endpoint: string;
  private inFlight!: AbortController;

  send(values: T): Promise<Response>;
  send(values: T, signal: AbortSignal): Promise<Response>;
  send(values: T, signal?: AbortSignal): Promise<Response> {
    this.inFlight?.abort();
    this.inFlight = new AbortController();
    signal?.addEventListener('abort', () => this.inFlight.abort());
    return fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(values),
      signal: this.inFlight.signal,
    });
  }
}

export type ChangeHandlers<T> = { [K in FieldName<T> as EventName<K>]?: (value: T[K]) => void };

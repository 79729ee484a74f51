// `deeppose train`'s settings flags, generated from the settings schema: every setting has a
// flag (a field added to the schema gets one without touching the CLI), and each value is
// checked by its own field, so a bad one is one line naming the flag.
import { z } from 'zod';
import { TrainingSettings, type TrainingSettingsInput } from '../../src-shared/api/training.contract';
import { defaultLearningRate, describeIssue } from '../../src-shared/training/setting-problems';
import { UsageError } from './command';

type Values = Record<string, unknown>;

export interface SettingFlag {
  /** The setting's key in the schema. */
  key: string;
  /** How it is written: `--lr X`, `--[no-]flip`. */
  usage: string;
  /** Default (and notes) for the help text. */
  about: string;
  options: Record<string, { type: 'string' | 'boolean' }>;
  /** The setting's value from parsed arguments, undefined when not given. */
  read(values: Values): unknown;
}

/** Settings that are not a number, a word or a switch, and how the command line writes them. */
const codecs: Record<
  string,
  { flag: string; hint: string; parse(raw: string, flag: string): unknown; show(value: unknown): string }
> = {
  lrSchedule: {
    flag: 'lr-step',
    hint: 'EPOCHS:GAMMA',
    parse: (raw, flag) => {
      const [every, gamma, ...rest] = raw.split(':');
      if (rest.length || gamma === undefined)
        throw new UsageError(`--${flag} must be EPOCHS:GAMMA (e.g. 30:0.1), got '${raw}'`);
      return { kind: 'step', everyEpochs: toNumber(every, flag, raw), gamma: toNumber(gamma, flag, raw) };
    },
    show: (value) =>
      value
        ? `${(value as { everyEpochs: number }).everyEpochs}:${(value as { gamma: number }).gamma}`
        : 'none (a constant rate)',
  },
  torsoPairs: {
    flag: 'torso-pairs',
    hint: 'A:B[,A:B…]',
    parse: (raw, flag) => raw.split(',').map((pair) => pair.split(':').map((n) => toNumber(n, flag, raw))),
    show: (value) => (value ? JSON.stringify(value) : "LSP's hips and shoulders"),
  },
};

const notes: Record<string, (fallback: unknown) => string> = {
  lr: (fallback) => `${String(fallback)}; ${defaultLearningRate('Adam', fallback as number)} with Adam`,
  checkpointEvery: () => 'epochs ÷ 10',
};

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The field without its default / optional / nullable wrappers: what a value must be. */
function core(field: z.ZodType): z.ZodType {
  let inner: z.ZodType = field;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional || inner instanceof z.ZodNullable)
    inner = inner.unwrap() as z.ZodType;
  return inner;
}

function toNumber(raw: string, flag: string, whole = raw): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a number, got '${whole}'`);
  return n;
}

/** The field's own check, as one line naming the flag. */
function checked(field: z.ZodType, value: unknown, flag: string, raw: string): unknown {
  const result = field.safeParse(value);
  if (result.success) return value;
  const issue = result.error.issues[0];
  const where = issue.path.length ? ` (${issue.path.join('.')})` : '';
  throw new UsageError(`--${flag}${where} ${describeIssue(issue)}, got '${raw}'`);
}

function flagFor(key: string, field: z.ZodType): SettingFlag | null {
  const inner = core(field);
  const fallback = field.safeParse(undefined);
  const shown = fallback.success && fallback.data !== undefined ? String(fallback.data) : 'unset';
  const about = `default ${notes[key]?.(fallback.success ? fallback.data : undefined) ?? shown}`;
  const flag = kebab(key);
  const text = (values: Values, name: string) => values[name] as string | undefined;
  if (inner instanceof z.ZodBoolean) {
    return {
      key,
      usage: `--[no-]${flag}`,
      about: `default ${fallback.success && fallback.data ? 'on' : 'off'}`,
      options: { [flag]: { type: 'boolean' }, [`no-${flag}`]: { type: 'boolean' } },
      read: (values) => {
        if (values[flag] && values[`no-${flag}`])
          throw new UsageError(`--${flag} and --no-${flag} contradict each other`);
        return values[flag] ? true : values[`no-${flag}`] ? false : undefined;
      },
    };
  }
  if (inner instanceof z.ZodNumber || inner instanceof z.ZodEnum) {
    const hint = inner instanceof z.ZodEnum ? (inner.options as string[]).join('|') : inner.isInt ? 'N' : 'X';
    return {
      key,
      usage: `--${flag} ${hint}`,
      about,
      options: { [flag]: { type: 'string' } },
      read: (values) => {
        const raw = text(values, flag);
        if (raw === undefined) return undefined;
        return checked(field, inner instanceof z.ZodNumber ? toNumber(raw, flag) : raw, flag, raw);
      },
    };
  }
  const codec = codecs[key];
  if (!codec) return null;
  return {
    key,
    usage: `--${codec.flag} ${codec.hint}`,
    about: `default ${codec.show(fallback.success ? fallback.data : undefined)}`,
    options: { [codec.flag]: { type: 'string' } },
    read: (values) => {
      const raw = text(values, codec.flag);
      return raw === undefined ? undefined : checked(field, codec.parse(raw, codec.flag), codec.flag, raw);
    },
  };
}

const shape = TrainingSettings.shape as Record<string, z.ZodType>;
const generated = Object.entries(shape).map(([key, field]) => ({ key, flag: flagFor(key, field) }));

/** One flag per setting, in the schema's order. */
export const settingFlags: SettingFlag[] = generated.flatMap(({ flag }) => (flag ? [flag] : []));
/** Settings no flag can set yet (a new kind of value needs a codec above); a test keeps this empty. */
export const settingsWithoutFlag: string[] = generated.filter(({ flag }) => !flag).map(({ key }) => key);

export const settingOptions: Record<string, { type: 'string' | 'boolean' }> = Object.assign(
  {},
  ...settingFlags.map((f) => f.options),
);

export function settingsUsage(): string {
  const width = Math.max(...settingFlags.map((f) => f.usage.length));
  return settingFlags.map((f) => `  ${f.usage.padEnd(width)}  ${f.about}`).join('\n');
}

/** The settings the flags give; Adam without --lr takes Adam's usual rate, as in the Train view. */
export function settingsFromFlags(values: Values): TrainingSettingsInput {
  const settings: Record<string, unknown> = {};
  for (const flag of settingFlags) {
    const value = flag.read(values);
    if (value !== undefined) settings[flag.key] = value;
  }
  if (settings.optimizer === 'Adam' && settings.lr === undefined)
    settings.lr = defaultLearningRate('Adam', shape.lr.parse(undefined) as number);
  return settings as TrainingSettingsInput;
}

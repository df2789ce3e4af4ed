import { pino, type Logger as PinoLogger, type LoggerOptions } from 'pino';

/** The little of a logger services use; pino satisfies it. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** The app's logger is a pino one (the request logger needs it); tests pass this silent one. */
export type AppLogger = PinoLogger;
export const silentLogger: AppLogger = pino({ level: 'silent' });

/**
 * Never logged, whatever a caller passes: credentials and message contents. The request logger
 * logs no headers or bodies at all; this is the second guard for anything logged by hand.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'content',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.content',
];

export const LOGGER_OPTIONS = {
  redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
} satisfies LoggerOptions;

/** A logger (with the same redaction) whose JSON lines go to `write`: tests and the bench read them. */
export function lineLogger(level: string, write: (line: string) => void): AppLogger {
  return pino({ ...LOGGER_OPTIONS, level }, { write });
}

/**
 * JSON lines (one per event) for machines; `pretty` for a person at a terminal (`pnpm dev`).
 * pino-pretty is a development dependency: without it, JSON it is, and a warning says so.
 */
export async function createLogger(options: { level: string; format: 'json' | 'pretty' }): Promise<AppLogger> {
  const base = { ...LOGGER_OPTIONS, level: options.level };
  if (options.format === 'pretty') {
    try {
      const { default: pretty } = await import('pino-pretty');
      return pino(base, pretty({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true }));
    } catch {
      const logger = pino(base);
      logger.warn('LOG_FORMAT=pretty needs the pino-pretty package (a development dependency): logging JSON');
      return logger;
    }
  }
  return pino(base);
}

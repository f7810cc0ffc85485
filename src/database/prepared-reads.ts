import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import pg from 'pg';

const PREPARED_READS_CONFIG = Symbol('PREPARED_READS_CONFIG');

/** The URL with `-c plan_cache_mode=force_generic_plan` added to its `options` (kept, when it has some, e.g. a search_path). */
export function withGenericPlans(url: string): string {
  const parsed = new URL(url);
  const options = parsed.searchParams.get('options');
  parsed.searchParams.set('options', `${options ? `${options} ` : ''}-c plan_cache_mode=force_generic_plan`);
  return parsed.toString();
}

/**
 * The hot reads — session lookup, transcript, compliance, catalog page, gradebook — run as named prepared
 * statements on a pool of their own whose connections plan them generically (plan_cache_mode =
 * force_generic_plan). A named statement is parsed once per connection, but PostgreSQL's custom-plan heuristic
 * still planned some of them again on every execution: the catalog's page (1.7 ms of planning for 3–4 ms of
 * work) and the learner's profile, where the generic plan runs as fast. Only the statements sent here get
 * generic plans; TypeORM's queries keep the default. `name` must be unique per SQL text (`nameFor` makes one
 * for statements whose text varies with the filters given).
 */
@Injectable()
export class PreparedReads implements OnApplicationShutdown {
  private readonly pool: pg.Pool;
  /** Statement names by SQL text, and how many texts each prefix has named. */
  private readonly names = new Map<string, string>();
  private readonly named = new Map<string, number>();

  constructor(@Inject(PREPARED_READS_CONFIG) config: { url: string; size: number }) {
    this.pool = new pg.Pool({ connectionString: withGenericPlans(config.url), max: config.size });
    // A connection dropped while idle is replaced by the next query; one dropped mid-query fails that query.
    this.pool.on('error', () => undefined);
  }

  /**
   * A name for a statement whose text depends on the filters given (their values do not change it): `prefix` and a
   * hash of the text, worked out once per text. Past 32 texts of a prefix it answers null, so the statements each
   * connection keeps stay few; the caller runs such a rare one unprepared.
   */
  nameFor(prefix: string, text: string): string | null {
    const known = this.names.get(text);
    if (known) return known;
    const count = this.named.get(prefix) ?? 0;
    if (count >= 32) return null;
    const name = `${prefix}-${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    this.names.set(text, name);
    this.named.set(prefix, count + 1);
    return name;
  }

  async query<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    return (await this.pool.query({ name, text, values })).rows as T[];
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

@Global()
@Module({})
export class PreparedReadsModule {
  static forRoot(url: string, size: number): DynamicModule {
    return {
      module: PreparedReadsModule,
      providers: [{ provide: PREPARED_READS_CONFIG, useValue: { url, size } }, PreparedReads],
      exports: [PreparedReads],
    };
  }
}

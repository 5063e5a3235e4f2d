import { Knex } from 'knex';

const TABLE = 'devsecops_settings';

/** A row of devsecops_settings. */
interface SettingRow {
  key: string;
  value: string;
}

/** Installation-wide values generated once and then shared by every backend instance. */
export class SettingsStore {
  constructor(private readonly knex: Knex) {}

  /** The stored value, or the generated one if none was stored; concurrent callers agree. */
  async getOrCreate(key: string, generate: () => string): Promise<string> {
    const existing = await this.knex<SettingRow>(TABLE).where({ key }).first();
    if (existing) return existing.value;
    await this.knex<SettingRow>(TABLE)
      .insert({ key, value: generate() })
      .onConflict('key')
      .ignore();
    const stored = await this.knex<SettingRow>(TABLE).where({ key }).first();
    return stored!.value;
  }
}

import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Secrets } from '../config/secrets.js';
import { FieldCipher } from './field-cipher.js';
import { TemplateRegistry } from './views/handlebars.js';

export const SECRETS = Symbol('SECRETS');

/** Process-wide services with no module of their own: secrets, the field cipher, compiled templates. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(secrets: Secrets): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: SECRETS, useValue: secrets },
        { provide: FieldCipher, useValue: new FieldCipher(secrets) },
        { provide: TemplateRegistry, useValue: new TemplateRegistry() },
      ],
      exports: [SECRETS, FieldCipher, TemplateRegistry],
    };
  }
}

import { MetadataScanner, Reflector } from '@nestjs/core';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { ACCESS_RULE } from '../../src/common/authorize.decorator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('route declarations', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  it('every route declares who may call it', async () => {
    const reflector = t.app.get(Reflector);
    const scanner = new MetadataScanner();
    const container = (t.app as unknown as { container: { getModules(): Map<string, { controllers: Map<unknown, { metatype: new () => object; instance: object }> }> } }).container;
    const routes: string[] = [];
    const undeclared: string[] = [];
    for (const module of container.getModules().values()) {
      for (const wrapper of module.controllers.values()) {
        const prototype = Object.getPrototypeOf(wrapper.instance);
        const base = Reflect.getMetadata(PATH_METADATA, wrapper.metatype) as string;
        for (const name of scanner.getAllMethodNames(prototype)) {
          const handler = prototype[name];
          const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
          if (path === undefined) continue;
          const route = `${RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number]} /${[base, path].filter((p) => p && p !== '/').join('/')}`;
          routes.push(route);
          if (!reflector.getAllAndOverride(ACCESS_RULE, [handler, wrapper.metatype])) undeclared.push(route);
        }
      }
    }
    expect(routes.length).toBeGreaterThan(20);
    expect(undeclared).toEqual([]);
  });

  it('answers JSON 404 for an unknown API path', async () => {
    const res = await t.http().get('/api/no-such-thing').expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

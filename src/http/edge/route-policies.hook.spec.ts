import { Controller, Get, Module, Post, Req, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { listenOnLoopback } from '../../../test/support/free-port.js';
import { send } from '../../../test/support/http-client.js';
import { installRoutePolicies } from './route-policies.hook.js';
import { ADMIN_PAGE, RoutePolicy } from './route-policy.js';

/** What a handler sees of its own route: the policy the edge reads, the body limit Fastify applies. */
const seen = (request: FastifyRequest) => ({
  policy: request.routeOptions.config.policy ?? null,
  bodyLimit: request.routeOptions.bodyLimit,
});

@RoutePolicy(ADMIN_PAGE)
@Controller('admin/things')
class ThingsAdminController {
  @Get()
  list(@Req() request: FastifyRequest) {
    return seen(request);
  }

  @RoutePolicy({ ownFormToken: true, bodyLimit: 1024 })
  @Post()
  change(@Req() request: FastifyRequest) {
    return seen(request);
  }
}

@Controller('cards')
class CardsController {
  @RoutePolicy({ rateLimit: 'catalog-lookup' })
  @Get(':slug')
  card(@Req() request: FastifyRequest) {
    return seen(request);
  }
}

@Controller('admin/forgotten')
class ForgottenAdminController {
  @Get()
  forgotten() {
    return 'open to anyone';
  }
}

@Module({ controllers: [ThingsAdminController, CardsController] })
class DeclaredModule {}

@Module({ controllers: [CardsController, ForgottenAdminController] })
class UndeclaredModule {}

async function appOf(module: object): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), {
    logger: false,
    abortOnError: false,
  });
  installRoutePolicies(app.getHttpAdapter().getInstance());
  await app.init();
  return app;
}

describe('route policies', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('reach the route from the controller and the handler, the handler adding to its controller', async () => {
    const declared = await appOf(DeclaredModule);
    app = declared;
    const fastify = declared.getHttpAdapter().getInstance();
    const port = await listenOnLoopback(fastify);
    const list = await send(port, { method: 'GET', url: '/admin/things', host: 'localhost' });
    expect(list.json()).toEqual({ policy: ADMIN_PAGE, bodyLimit: 16 * 1024 });
    const change = await send(port, { method: 'POST', url: '/admin/things', host: 'localhost' });
    expect(change.json()).toEqual({
      policy: { ...ADMIN_PAGE, ownFormToken: true, bodyLimit: 1024 },
      bodyLimit: 1024,
    });
    const card = await send(port, { method: 'GET', url: '/cards/balloons', host: 'localhost' });
    expect(card.json()).toEqual({
      policy: { rateLimit: 'catalog-lookup' },
      bodyLimit: fastify.initialConfig.bodyLimit,
    });
  });

  it('stop the boot when an admin route declares none', async () => {
    const undeclared = await appOf(UndeclaredModule);
    app = undeclared;
    await expect(undeclared.getHttpAdapter().getInstance().ready()).rejects.toThrow(
      /Admin routes without an admin @RoutePolicy: GET \/admin\/forgotten/,
    );
  });
});

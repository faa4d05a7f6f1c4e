import {
  Body,
  Controller,
  Get,
  Header,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  Sse,
  UseGuards,
  ValidationPipe,
  type CanActivate,
  type MessageEvent,
  type Type,
} from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { interval, map, merge, type Observable } from 'rxjs';
import { ASSET_NAME, CONTENT_TYPES, findAssetsDir, readIndexHtml } from './dashboard-assets';
import { CsrfGuard, ReadOnlyGuard } from './dashboard-guards';
import type { DashboardSettings } from './dashboard-settings';
import { csrfCookie, csrfSetCookie, newCsrfToken } from './csrf-token';
import { DeadLettersQueryDto } from './dead-letters-query.dto';
import { ListRunsQueryDto } from './list-runs-query.dto';
import type { RunSummaryPage } from './run-summary';
import { StatsQueryDto } from './stats-query.dto';
import {
  StrategosDashboardService,
  type ActionResult,
  type DashboardMeta,
  type DeadLetterPage,
  type RunDetails,
} from './strategos-dashboard.service';
import type { DashboardRequest } from './strategos-dashboard-options.interface';
import type { WorkflowStats } from './workflow-stats';

/** The parts of Express's request and response the controllers use. */
interface HttpRequest extends DashboardRequest {
  readonly secure: boolean;
  readonly originalUrl: string;
}
interface HttpResponse {
  setHeader(name: string, value: string): void;
  status(code: number): HttpResponse;
  redirect(status: number, url: string): void;
  send(body: string | Buffer): void;
}

const HEARTBEAT_MS = 15_000;
const queryPipe = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });
const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'";

/**
 * The dashboard's controllers for one `forRoot`: classes made per call, so that the path and the guards
 * are theirs alone (two dashboards in one process do not share decorator metadata).
 */
export function createDashboardControllers(settings: DashboardSettings): Type<unknown>[] {
  const { path } = settings;
  const actionGuards: (Type<CanActivate> | CanActivate)[] = [ReadOnlyGuard, CsrfGuard, ...(settings.guard ? [settings.guard] : [])];

  /** Reads and the live stream: `GET <path>/api/...`. */
  @Controller(`${path}/api`)
  class DashboardApiController {
    constructor(private readonly dashboard: StrategosDashboardService) {}

    @Get('meta')
    meta(@Req() request: HttpRequest, @Res({ passthrough: true }) response: HttpResponse): DashboardMeta & { csrfToken: string } {
      const csrfToken = csrfCookie(request.headers) ?? newCsrfToken();
      response.setHeader('Set-Cookie', csrfSetCookie(csrfToken, path, request.secure));
      response.setHeader('Cache-Control', 'no-store');
      return { ...this.dashboard.meta(), csrfToken };
    }

    @Get('runs')
    runs(@Query(queryPipe) query: ListRunsQueryDto): Promise<RunSummaryPage> {
      return this.dashboard.listRuns(query);
    }

    @Get('runs/:workflowId')
    run(@Param('workflowId') workflowId: string): Promise<RunDetails> {
      return this.dashboard.run(workflowId);
    }

    @Get('dead-letters')
    deadLetters(@Query(queryPipe) query: DeadLettersQueryDto): Promise<DeadLetterPage> {
      return this.dashboard.deadLetterList(query);
    }

    @Get('stats')
    stats(@Query(queryPipe) query: StatsQueryDto): Promise<WorkflowStats[]> {
      return this.dashboard.stats(query);
    }

    /**
     * Server-sent events: one `runs` message per interval with every run that changed, and a `ping` every
     * 15 s so that proxies keep an idle stream open.
     */
    @Sse('live')
    live(): Observable<MessageEvent> {
      return merge(
        this.dashboard.liveBatches().pipe(map((batch): MessageEvent => ({ type: 'runs', data: batch }))),
        interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ type: 'ping', data: {} }))),
      );
    }
  }

  /** Actions: `POST <path>/api/{runs,dead-letters}/:id/actions/:action`, behind read-only, CSRF and the user's guard. */
  @Controller(`${path}/api`)
  @UseGuards(...actionGuards)
  class DashboardActionsController {
    constructor(private readonly dashboard: StrategosDashboardService) {}

    @Post('runs/:workflowId/actions/:action')
    @Header('Cache-Control', 'no-store')
    runAction(
      @Param('workflowId') workflowId: string,
      @Param('action') action: string,
      @Body() body: unknown,
      @Req() request: HttpRequest,
    ): Promise<ActionResult> {
      return this.dashboard.perform('run', action, workflowId, body, request);
    }

    @Post('dead-letters/:id/actions/:action')
    @Header('Cache-Control', 'no-store')
    deadLetterAction(
      @Param('id') id: string,
      @Param('action') action: string,
      @Body() body: unknown,
      @Req() request: HttpRequest,
    ): Promise<ActionResult> {
      return this.dashboard.perform('dead-letter', action, id, body, request);
    }
  }

  const assetsDir = settings.assetsDir ?? findAssetsDir();

  /** The page (`GET <path>/`, hash routes inside) and its built assets. */
  @Controller(path)
  class DashboardPageController {
    @Get()
    page(@Req() request: HttpRequest, @Res() response: HttpResponse): void {
      if (!request.originalUrl.split('?')[0].endsWith('/')) return response.redirect(302, `${path}/`);
      if (!assetsDir) {
        response.status(503).send('The Strategos dashboard front end is not built: run npm run build');
        return;
      }
      const token = csrfCookie(request.headers) ?? newCsrfToken();
      response.setHeader('Set-Cookie', csrfSetCookie(token, path, request.secure));
      response.setHeader('Content-Type', CONTENT_TYPES['.html']);
      response.setHeader('Content-Security-Policy', CSP);
      response.setHeader('X-Content-Type-Options', 'nosniff');
      response.setHeader('Cache-Control', 'no-store');
      response.send(readIndexHtml(assetsDir));
    }

    @Get('assets/:file')
    async asset(@Param('file') file: string, @Res() response: HttpResponse): Promise<void> {
      const type = CONTENT_TYPES[extname(file)];
      if (!assetsDir || !ASSET_NAME.test(file) || !type)
        throw new NotFoundException({ code: 'ASSET_NOT_FOUND', message: `No asset ${file}` });
      let content: Buffer;
      try {
        content = await readFile(join(assetsDir, 'assets', file));
      } catch {
        throw new NotFoundException({ code: 'ASSET_NOT_FOUND', message: `No asset ${file}` });
      }
      response.setHeader('Content-Type', type);
      response.setHeader('X-Content-Type-Options', 'nosniff');
      // Built file names carry a content hash.
      response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      response.send(content);
    }
  }

  return [DashboardApiController, DashboardActionsController, DashboardPageController];
}

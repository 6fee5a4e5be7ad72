import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import { SAMPLE_CUSTOMERS } from '../src/commerce/sample-data';
import { buildSystemPrompt } from '../src/conversation/system-prompt';
import { openSqliteCommerceStore } from '../src/commerce/sqlite-commerce-store';
import { createOrderTools } from '../src/tools/order';
import { ToolRegistry } from '../src/tools/registry';
import { createSearchPoliciesTool } from '../src/tools/search-policies';
import { loadPolicyLibrary } from '../src/knowledge/policy-library';
import { MiniSearchPolicySearch } from '../src/knowledge/minisearch-policy-search';
import {
  startFakeOpenAiServer,
  textReply,
  toolCallReply,
  type FakeOpenAiServer,
  type RecordedRequest,
} from '../tests/helpers/fake-openai-server';
import { startConnectorSink, type ConnectorSink } from './connector-sink';
import { driveLoad, type LoadResult } from './load-driver';
import { median, medianBy } from './median';
import { careBotEnv, spawnCareBot, spawnServer, stopServer } from './spawn-server';
import { summarizeCpuProfiles } from './cpu-profile';
import { isMoodRequest, NEUTRAL_MOOD_REPLY } from './mood-requests';
import { measureWebChatFirstText, type FirstTextLatency } from './webchat-latency';

/**
 * `npm run bench`: our bot against botbuilder's echo bot in the same run, each in its own process and driven
 * over HTTP by the same 50 concurrent conversations; then the prompt size of a long conversation.
 * Figures are ratios to the echo bot measured in this run, so they mean the same on any machine.
 * `npm run bench -- --prompt-only` measures only the prompt sizes; `-- --webchat-only` only the time to first
 * visible text in the browser; `-- --teams-only` only the Teams streaming round.
 */
const CONVERSATIONS = 50;
const TURNS_PER_CONVERSATION = 20;
const LONG_CONVERSATION_TURNS = 30;
/**
 * Turns per conversation before measuring, at full concurrency, so both servers are measured warm: our bot
 * still got faster round after round with 4 (JIT tiers, heap sizing), the echo bot does with little.
 */
const WARMUP_TURNS = 10;
/** Saturated rounds per bot; the median is reported. */
const CAPACITY_ROUNDS = 5;
/** The latency run: each conversation sends a turn a second, 50 turns/s in all, well within both servers' capacity. */
const PACED_TURN_INTERVAL_MS = 1_000;
const PACED_TURNS_PER_CONVERSATION = 10;
const customer = SAMPLE_CUSTOMERS[0]!;
/** The order-status question of the turn measured: a plain request, so the mood judge asks the model nothing. */
const ORDER_STATUS_TEXT = 'where is my order?';
/** The same turn asked with impatience: the mood judge asks the model too, a third model call per turn. */
const COMPLAINT_TEXT = 'why is my order still not here?';
/**
 * The Teams streaming round's model: each answer streams in chunks this far apart, so it takes a few seconds
 * and Teams' 1.5 s pace between updates (the default of TEAMS_STREAM_INTERVAL_MS) shows.
 */
const STREAM_CHUNK_CHARACTERS = 14;
const STREAM_CHUNK_DELAY_MS = 400;
const STREAMING_TURNS_PER_CONVERSATION = 4;
/**
 * Conversations in the streaming rounds, as a multiple of what would just keep the server busy (its plain
 * capacity times the time an unloaded streamed turn takes): well past saturation, so turns/s measures the
 * server and not the model's pace.
 */
const STREAMING_OVERLOAD = 1.5;

interface ServerRun {
  /** Saturated: every conversation sends its next turn as soon as it is answered. The median round. */
  capacity: LoadResult;
  /** Every saturated round, in the order they ran. */
  rounds: LoadResult[];
  /** Paced below capacity: latency without queueing. */
  paced: LoadResult;
  peakRssMb: number;
}

async function main(): Promise<void> {
  // Only the long conversation's requests are read back (90); the load rounds' would only weigh on this process.
  const model = await startFakeOpenAiServer({ rejectUnsupportedParameters: true, keepRequests: 500 });
  model.respond(orderStatusResponder);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'care-bench-'));
  try {
    if (process.argv.includes('--webchat-only')) {
      const webChat = await measureWebChatFirstText();
      if (webChat !== null) console.log(`web chat first text: ${webChat.samplesMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
      return;
    }
    if (process.argv.includes('--profile')) {
      await profileOurBot(model, dataDir);
      return;
    }
    if (process.argv.includes('--teams-only')) {
      reportTeams(await measureTeamsStreaming(model, dataDir));
      return;
    }
    if (process.argv.includes('--prompt-only')) {
      const prompt = await measurePromptGrowth(model, dataDir);
      const size = await measureStaticPrompt();
      console.log(`prompt tokens turn 2: ${prompt.turn2}, turn 30: ${prompt.turn30} (${(prompt.turn30 / prompt.turn2).toFixed(2)}x); static ${size.systemPrompt + size.toolSchemas}`);
      return;
    }
    const runs = await measureServers([
      { name: 'echo', start: () => spawnServer('bench/serve-echo-bot.ts', {}) },
      { name: 'ours', start: () => spawnCareBot(careBotEnv(model.openAiBaseUrl, dataDir)) },
      {
        name: 'ours-complaint',
        text: COMPLAINT_TEXT,
        start: () => spawnCareBot(careBotEnv(model.openAiBaseUrl, `${dataDir}-complaint`)),
      },
    ]);
    const [echo, ours, complaint] = [runs[0]!, runs[1]!, runs[2]!];
    const prompt = await measurePromptGrowth(model, dataDir);
    const size = await measureStaticPrompt();
    const webChat = await measureWebChatFirstText();
    const teams = await measureTeamsStreaming(model, dataDir);
    report({ echo, ours, complaint, prompt, size, webChat });
    reportTeams(teams);
  } finally {
    await model.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(`${dataDir}-complaint`, { recursive: true, force: true });
  }
}

/**
 * The model's side of a verified customer's order-status turn, at 0 ms: verify on the first turn, otherwise
 * look the order up, then answer from the tool result.
 */
function orderStatusResponder(request: RecordedRequest) {
  const messages = (request.body as { messages: { role: string; content: string | null }[] }).messages;
  if (isMoodRequest(request)) return textReply(NEUTRAL_MOOD_REPLY);
  const last = messages.at(-1)!;
  if (last.role === 'tool') return textReply(`Here is what I found: ${String(last.content).slice(0, 60)}`);
  if (String(messages[0]!.content).includes('not verified yet')) {
    return toolCallReply([{ name: 'find_user_id_by_email', arguments: JSON.stringify({ email: customer.email, zip: customer.zip }) }]);
  }
  const turn = messages.filter((message) => message.role === 'user').length;
  const orderId = customer.orderIds[turn % customer.orderIds.length]!;
  return toolCallReply([{ name: 'get_order_details', arguments: JSON.stringify({ order_id: orderId }) }]);
}

/** The same turns with the answer streamed slowly: a few seconds per answer, in chunks. */
function streamedOrderStatusResponder(request: RecordedRequest) {
  const reply = orderStatusResponder(request);
  return reply.toolCalls === undefined
    ? { ...reply, chunkSize: STREAM_CHUNK_CHARACTERS, delayMs: STREAM_CHUNK_DELAY_MS }
    : reply;
}

interface StreamingRound {
  conversations: number;
  load: LoadResult;
  /** Streamed updates per turn, and the shortest time between two updates of one answer. */
  updatesPerTurn: number;
  minGapMs: number;
  /** The bot process's CPU time per turn, and how busy it was (100 = one core all the time). */
  cpuMsPerTurn: number;
  cpuPercent: number;
  /** How busy this process was: the load driver, the model and the connector, all here. */
  driverCpuPercent: number;
}

interface TeamsStreamingRun {
  /** Web Chat customers, a 0 ms model: answers go whole, as in the main round. */
  plain: StreamingRound;
  /** One conversation, the streamed model: what a turn takes when nothing else runs. */
  unloadedTurnMs: number;
  webChat: StreamingRound;
  teams: StreamingRound;
}

/**
 * Teams personal chats with streamed answers at Teams' real pace (1.5 s between updates), against Web Chat with
 * the same streamed answers and against the plain round, all on one server process. Pacing is timers: while
 * one answer waits for its next update, the server serves the others, so with enough conversations to keep
 * it busy the Teams round's turns/s stays close to the others'. Were pacing a wait that blocked, it would
 * fall to a handful of turns per second.
 */
async function measureTeamsStreaming(model: FakeOpenAiServer, dataDir: string): Promise<TeamsStreamingRun> {
  const streamingDataDir = `${dataDir}-teams`;
  const { child, port } = await spawnCareBot(careBotEnv(model.openAiBaseUrl, streamingDataDir));
  const sink = await startConnectorSink();
  const botUrl = `http://127.0.0.1:${port}`;
  const text = (turn: number) => (turn === 0 ? `${customer.email} ${customer.zip}` : ORDER_STATUS_TEXT);
  const round = async (options: { conversations: number; turns: number; channel: 'webchat' | 'teams'; runId: string }) => {
    sink.resetStreamedUpdates();
    const cpuBefore = await cpuMs(child.pid!);
    const driverBefore = process.cpuUsage();
    const load = await driveLoad({
      botUrl,
      sink,
      conversations: options.conversations,
      turnsPerConversation: options.turns,
      text,
      runId: options.runId,
      channel: options.channel,
    });
    const updates = sink.streamedUpdates();
    const cpu = (await cpuMs(child.pid!)) - cpuBefore;
    const driver = process.cpuUsage(driverBefore);
    return {
      conversations: options.conversations,
      load,
      updatesPerTurn: updates.count / load.turns,
      minGapMs: updates.minGapMs,
      cpuMsPerTurn: cpu / load.turns,
      cpuPercent: (100 * cpu) / (load.seconds * 1000),
      driverCpuPercent: (driver.user + driver.system) / (load.seconds * 10_000),
    };
  };
  try {
    model.reset();
    model.respond(orderStatusResponder);
    await round({ conversations: CONVERSATIONS, turns: WARMUP_TURNS, channel: 'webchat', runId: 'streaming-warmup' });
    await round({ conversations: CONVERSATIONS, turns: WARMUP_TURNS, channel: 'teams', runId: 'streaming-warmup-teams' });
    const plainRounds: StreamingRound[] = [];
    for (let index = 0; index < CAPACITY_ROUNDS; index += 1) {
      plainRounds.push(
        await round({ conversations: CONVERSATIONS, turns: TURNS_PER_CONVERSATION, channel: 'webchat', runId: `streaming-plain-${index}` }),
      );
    }
    const plain = medianBy(plainRounds, (result) => result.load.turnsPerSecond);

    model.respond(streamedOrderStatusResponder);
    const unloaded = await round({ conversations: 1, turns: STREAMING_TURNS_PER_CONVERSATION, channel: 'teams', runId: 'streaming-unloaded' });
    const unloadedTurnMs = unloaded.load.p50Ms;
    const conversations = Math.ceil(plain.load.turnsPerSecond * (unloadedTurnMs / 1000) * STREAMING_OVERLOAD);
    const webChat = await round({ conversations, turns: STREAMING_TURNS_PER_CONVERSATION, channel: 'webchat', runId: 'streaming-webchat' });
    const teams = await round({ conversations, turns: STREAMING_TURNS_PER_CONVERSATION, channel: 'teams', runId: 'streaming-teams' });
    return { plain, unloadedTurnMs, webChat, teams };
  } finally {
    model.respond(orderStatusResponder);
    await sink.close();
    await stopServer(child);
    await rm(streamingDataDir, { recursive: true, force: true });
  }
}

/**
 * Our bot under the saturated load with V8's CPU profiler on, then where its CPU went (self time by package or
 * source file, and the top functions): the map for making a turn cheaper.
 */
async function profileOurBot(model: FakeOpenAiServer, dataDir: string): Promise<void> {
  const profileDir = await mkdtemp(path.join(tmpdir(), 'care-profile-'));
  const { child, port } = await spawnCareBot(careBotEnv(model.openAiBaseUrl, dataDir), [
    '--cpu-prof',
    `--cpu-prof-dir=${profileDir}`,
  ]);
  const sink = await startConnectorSink();
  const botUrl = `http://127.0.0.1:${port}`;
  const text = (turn: number) => (turn === 0 ? `${customer.email} ${customer.zip}` : ORDER_STATUS_TEXT);
  let turns = 0;
  try {
    await driveLoad({ botUrl, sink, conversations: CONVERSATIONS, turnsPerConversation: WARMUP_TURNS, text, runId: 'profile-warmup' });
    for (let round = 0; round < 3; round += 1) {
      const load = await driveLoad({ botUrl, sink, conversations: CONVERSATIONS, turnsPerConversation: TURNS_PER_CONVERSATION, text, runId: `profile-${round}` });
      turns += load.turns;
      console.log(`round ${round + 1}: ${load.turnsPerSecond.toFixed(1)} turns/s`);
    }
  } finally {
    await sink.close();
    await stopServer(child);
  }
  const summary = await summarizeCpuProfiles(profileDir);
  const share = (ms: number) => `${((100 * ms) / summary.totalMs).toFixed(1).padStart(5)}%  ${(ms / (turns + CONVERSATIONS * WARMUP_TURNS)).toFixed(3)} ms/turn`;
  console.log(`\nbusy CPU ${summary.totalMs.toFixed(0)} ms over ${turns} measured turns (+ warm-up); profiles in ${profileDir}`);
  console.log('\nby place (self time):');
  for (const [where, ms] of summary.byPlace.slice(0, 25)) console.log(`  ${share(ms)}  ${where}`);
  console.log('\ntop functions (self time):');
  for (const [name, ms] of summary.byFunction.slice(0, 30)) console.log(`  ${share(ms)}  ${name}`);
}

interface BenchServer {
  name: string;
  /** What the customer asks after verifying. Default {@link ORDER_STATUS_TEXT}. */
  text?: string;
  start: () => Promise<{ child: ChildProcess; port: number }>;
}

/**
 * The bots in one run, their saturated rounds taken in turn (echo, ours, complaint, echo, ours, …), so a machine
 * that speeds up or slows down during the run (a shared host does both) moves them alike; a ratio is the median
 * of the round-by-round ratios. Then a paced run of each.
 */
async function measureServers(servers: readonly BenchServer[]): Promise<ServerRun[]> {
  const started: { name: string; text: string; child: ChildProcess; botUrl: string; sink: ConnectorSink }[] = [];
  try {
    for (const server of servers) {
      const { child, port } = await server.start();
      const text = server.text ?? ORDER_STATUS_TEXT;
      started.push({ name: server.name, text, child, botUrl: `http://127.0.0.1:${port}`, sink: await startConnectorSink() });
    }
    const load = (server: (typeof started)[number], runId: string, options: { turns: number; paceMs?: number }) =>
      driveLoad({
        botUrl: server.botUrl,
        sink: server.sink,
        conversations: CONVERSATIONS,
        turnsPerConversation: options.turns,
        text: (turn: number) => (turn === 0 ? `${customer.email} ${customer.zip}` : server.text),
        runId: `${runId}-${server.name}`,
        ...(options.paceMs === undefined ? {} : { paceMs: options.paceMs }),
      });
    for (const server of started) await load(server, 'warmup', { turns: WARMUP_TURNS });
    const rounds = started.map((): LoadResult[] => []);
    for (let round = 0; round < CAPACITY_ROUNDS; round += 1) {
      for (const [index, server] of started.entries()) {
        rounds[index]!.push(await load(server, `run-${round}`, { turns: TURNS_PER_CONVERSATION }));
      }
    }
    const runs: ServerRun[] = [];
    for (const [index, server] of started.entries()) {
      const paced = await load(server, 'paced', { turns: PACED_TURNS_PER_CONVERSATION, paceMs: PACED_TURN_INTERVAL_MS });
      runs.push({
        capacity: medianBy(rounds[index]!, (result) => result.turnsPerSecond),
        rounds: rounds[index]!,
        paced,
        peakRssMb: await peakRssMb(server.child.pid!),
      });
    }
    return runs;
  } finally {
    for (const server of started) {
      await server.sink.close();
      await stopServer(server.child);
    }
  }
}

/** The process's high-water mark of resident memory, from the kernel. */
async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(/VmHWM:\s+(\d+) kB/u.exec(status)?.[1] ?? Number.NaN);
  return kilobytes / 1024;
}

/** CPU time (user and system) a process has used so far, from the kernel (clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces: utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Prompt tokens (messages and tool schemas, o200k) at turn 2 and turn 30 of one long conversation. */
async function measurePromptGrowth(model: FakeOpenAiServer, dataDir: string): Promise<{ turn2: number; turn30: number }> {
  model.reset();
  model.respond(orderStatusResponder);
  const longDataDir = `${dataDir}-long`;
  const { child, port } = await spawnCareBot(careBotEnv(model.openAiBaseUrl, longDataDir));
  const sink = await startConnectorSink();
  try {
    const text = (turn: number) => (turn === 0 ? `${customer.email} ${customer.zip}` : `what about my order, question ${turn}?`);
    await driveLoad({ botUrl: `http://127.0.0.1:${port}`, sink, conversations: 1, turnsPerConversation: LONG_CONVERSATION_TURNS, text, runId: 'long' });
  } finally {
    await sink.close();
    await stopServer(child);
    await rm(longDataDir, { recursive: true, force: true });
  }
  // Each turn of this conversation is exactly two model calls (one tool call, then the answer), and the turns
  // run one after another, so the first call of turn t (from 1) is request 2(t-1). Counting user messages
  // instead would undercount once the history budget trims old turns.
  const requests = model.chatRequests().filter((request) => !isMoodRequest(request));
  const firstOfTurn = (turn: number) => requests[2 * (turn - 1)];
  const tokens = (request: RecordedRequest | undefined) => {
    if (request === undefined) return Number.NaN;
    const body = request.body as { messages: unknown[]; tools: unknown[] };
    return countTokens(JSON.stringify(body.messages)) + countTokens(JSON.stringify(body.tools));
  };
  if (requests.length !== 2 * LONG_CONVERSATION_TURNS) {
    throw new Error(`expected ${2 * LONG_CONVERSATION_TURNS} model calls in the long conversation, saw ${requests.length}`);
  }
  return { turn2: tokens(firstOfTurn(2)), turn30: tokens(firstOfTurn(LONG_CONVERSATION_TURNS)) };
}

/** System prompt plus tool schemas: what every model call carries before any conversation. */
async function measureStaticPrompt(): Promise<{ systemPrompt: number; toolSchemas: number }> {
  const store = openSqliteCommerceStore({ path: ':memory:' });
  const library = await loadPolicyLibrary();
  const registry = new ToolRegistry([
    ...createOrderTools({ store, verificationRule: 'identifier_and_zip' }),
    createSearchPoliciesTool({ search: new MiniSearchPolicySearch(library) }),
  ]);
  const systemPrompt = buildSystemPrompt({
    assistantName: 'Ava',
    companyName: 'Contoso Home & Electronics',
    modality: 'text',
    verificationRule: 'identifier_and_zip',
    customerId: null,
    now: new Date(),
  });
  const wireTools = registry.schemas().map((schema) => ({
    type: 'function',
    function: { name: schema.name, description: schema.description, parameters: schema.parameters, strict: schema.strict },
  }));
  await store.close();
  return { systemPrompt: countTokens(systemPrompt), toolSchemas: countTokens(JSON.stringify(wireTools)) };
}

function report(figures: {
  echo: ServerRun;
  ours: ServerRun;
  complaint: ServerRun;
  prompt: { turn2: number; turn30: number };
  size: { systemPrompt: number; toolSchemas: number };
  webChat: FirstTextLatency | null;
}): void {
  const { echo, ours, complaint, prompt, size, webChat } = figures;
  const row = (name: string, run: ServerRun) =>
    `${name.padEnd(10)} ${run.capacity.turnsPerSecond.toFixed(1).padStart(9)} ${run.capacity.p50Ms.toFixed(1).padStart(8)} ${run.capacity.p99Ms.toFixed(1).padStart(8)}` +
    ` ${run.paced.turnsPerSecond.toFixed(1).padStart(9)} ${run.paced.p50Ms.toFixed(1).padStart(8)} ${run.paced.p99Ms.toFixed(1).padStart(8)} ${run.peakRssMb.toFixed(0).padStart(9)}`;
  // Each of our rounds against the echo round run just before it: a drift of the machine's speed cancels out.
  const ratiosOf = (run: ServerRun) => run.rounds.map((round, index) => round.turnsPerSecond / echo.rounds[index]!.turnsPerSecond);
  const roundRatios = ratiosOf(ours);
  const ratio = median(roundRatios);
  const complaintRatios = ratiosOf(complaint);
  const addedP99 = ours.paced.p99Ms - echo.paced.p99Ms;
  const growth = prompt.turn30 / prompt.turn2;
  const staticTotal = size.systemPrompt + size.toolSchemas;
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(`\n${CONVERSATIONS} concurrent conversations over HTTP, after ${WARMUP_TURNS} warm-up turns each; our bot answers "${ORDER_STATUS_TEXT}" with one tool call + answer, 0 ms model`);
  console.log(`(a plain request: no mood call), and "${COMPLAINT_TEXT}" the same way plus the model's mood judgement`);
  console.log(`saturated: ${TURNS_PER_CONVERSATION} turns each, sent back to back (median of ${CAPACITY_ROUNDS} rounds, the bots' rounds in turn); paced: ${PACED_TURNS_PER_CONVERSATION} turns each, one a second per conversation`);
  console.log(`${''.padEnd(10)} ${'saturated'.padStart(27)} ${'paced'.padStart(27)}`);
  console.log(`${'server'.padEnd(10)} ${'turns/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'turns/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'peak MB'.padStart(9)}`);
  console.log(row('echo bot', echo));
  console.log(row('our bot', ours));
  console.log(row('complaint', complaint));
  reportConnectRetries([echo, ours, complaint].flatMap((run) => [...run.rounds, run.paced]));
  console.log(`\nthroughput ratio to echo: ${ratio.toFixed(2)} (saturated; target >= 0.33: ${verdict(ratio >= 1 / 3)})`);
  const pairs = roundRatios.map(
    (value, index) => `${value.toFixed(2)} (${ours.rounds[index]!.turnsPerSecond.toFixed(0)}/${echo.rounds[index]!.turnsPerSecond.toFixed(0)})`,
  );
  console.log(`  round by round:         ${pairs.join(', ')} (ours/echo turns/s, each pair run back to back)`);
  console.log(
    `complaint turn ratio:     ${median(complaintRatios).toFixed(2)} (three model calls a turn, the mood judge's included; ` +
      `rounds ${complaintRatios.map((value) => value.toFixed(2)).join(', ')})`,
  );
  console.log(`p99 added over echo:      ${addedP99.toFixed(1)} ms (paced; target <= 50 ms: ${verdict(addedP99 <= 50)})`);
  console.log(`p99 added when saturated: ${(ours.capacity.p99Ms - echo.capacity.p99Ms).toFixed(1)} ms (queueing: 50 waiting turns at a third of the echo bot's rate)`);
  console.log(`prompt tokens turn 2:     ${prompt.turn2}`);
  console.log(`prompt tokens turn 30:    ${prompt.turn30} (${growth.toFixed(2)}x turn 2; target <= 1.5x: ${verdict(growth <= 1.5)})`);
  console.log(`system prompt + schemas:  ${staticTotal} tokens (${size.systemPrompt} + ${size.toolSchemas}; target <= 3000: ${verdict(staticTotal <= 3000)})`);
  if (webChat !== null) {
    console.log(
      `web chat first text:      median ${webChat.medianMs.toFixed(0)} ms, max ${webChat.maxMs.toFixed(0)} ms over ${webChat.samplesMs.length} answers ` +
        `(model's first token to first words visible in Chromium; target <= 300 ms: ${verdict(webChat.maxMs <= 300)})`,
    );
  }
}

function reportConnectRetries(loads: readonly LoadResult[]): void {
  const retried = loads.reduce((total, load) => total + load.connectRetries, 0);
  if (retried > 0) console.log(`(${retried} posts sent again after their connection timed out: a burst of new conversations filled the bot's accept queue)`);
}

function reportTeams(run: TeamsStreamingRun): void {
  const { plain, webChat, teams, unloadedTurnMs } = run;
  const row = (name: string, round: StreamingRound) =>
    `${name.padEnd(30)} ${String(round.conversations).padStart(13)} ${round.load.turnsPerSecond.toFixed(1).padStart(9)}` +
    ` ${round.load.p50Ms.toFixed(0).padStart(8)} ${round.load.p99Ms.toFixed(0).padStart(8)} ${round.updatesPerTurn.toFixed(2).padStart(12)}` +
    ` ${(Number.isFinite(round.minGapMs) ? round.minGapMs.toFixed(0) : '-').padStart(11)}` +
    ` ${round.cpuMsPerTurn.toFixed(2).padStart(12)} ${round.cpuPercent.toFixed(0).padStart(8)} ${round.driverCpuPercent.toFixed(0).padStart(11)}`;
  const ideal = teams.conversations / (unloadedTurnMs / 1000);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const toPlain = teams.load.turnsPerSecond / plain.load.turnsPerSecond;
  console.log(
    `\nTeams streaming: personal chats, 1.5 s between updates (TEAMS_STREAM_INTERVAL_MS default); the model streams each answer ` +
      `in ${STREAM_CHUNK_CHARACTERS}-character chunks ${STREAM_CHUNK_DELAY_MS} ms apart, ${unloadedTurnMs.toFixed(0)} ms a turn unloaded`,
  );
  console.log(
    `saturated: ${STREAMING_TURNS_PER_CONVERSATION} turns per conversation back to back, ${STREAMING_OVERLOAD}x the conversations that would keep the server busy`,
  );
  console.log(
    `${'round'.padEnd(30)} ${'conversations'.padStart(13)} ${'turns/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'updates/turn'.padStart(12)} ${'min gap ms'.padStart(11)} ${'cpu ms/turn'.padStart(12)} ${'bot cpu%'.padStart(8)} ${'driver cpu%'.padStart(11)}`,
  );
  console.log(row('web chat, 0 ms model (plain)', plain));
  console.log(row('web chat, streamed answers', webChat));
  console.log(row('teams, streamed answers', teams));
  reportConnectRetries([plain.load, webChat.load, teams.load]);
  console.log(
    `teams turns/s / plain round:      ${toPlain.toFixed(2)} (bot CPU per turn: plain ${plain.cpuMsPerTurn.toFixed(2)} ms, teams ${teams.cpuMsPerTurn.toFixed(2)} ms; ` +
      `plain/teams CPU ${(plain.cpuMsPerTurn / teams.cpuMsPerTurn).toFixed(2)})`,
  );
  console.log(`teams turns/s / web chat streamed: ${(teams.load.turnsPerSecond / webChat.load.turnsPerSecond).toFixed(2)}`);
  console.log(`teams turns/s / unloaded bound:    ${(teams.load.turnsPerSecond / ideal).toFixed(2)} (${ideal.toFixed(1)} turns/s if every turn took its unloaded time)`);
  console.log(`teams pace: shortest gap between two updates of an answer ${teams.minGapMs.toFixed(1)} ms (target >= 1500: ${verdict(teams.minGapMs >= 1500)})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

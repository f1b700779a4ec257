// plumb studio: plain DOM, no framework. Every recorded value is hostile: it only ever reaches
// the page as text (textContent, createTextNode), never as HTML.
const token = document.querySelector('meta[name="plumb-token"]').getAttribute('content');
const app = document.getElementById('app');
let timer;
let info = { agent: false, offline: true };
const chat = { history: [], busy: false };

/** An element with attributes, properties (`on*`, `className`) and children (strings become text). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'className') el.className = value;
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    );
  }
  return el;
}

function show(...nodes) {
  app.replaceChildren(...nodes);
}

async function api(path, init) {
  const response = await fetch(path, {
    ...init,
    headers: { 'content-type': 'application/json', 'x-plumb-token': token, ...(init?.headers ?? {}) },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

const num = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const money = (cost) =>
  cost && typeof cost.total === 'number'
    ? `${cost.currency === 'CNY' ? '¥' : '$'}${cost.total.toFixed(6)}`
    : '–';
const ms = (value) =>
  typeof value === 'number'
    ? value >= 1000
      ? `${(value / 1000).toFixed(2)}s`
      : `${Math.round(value)}ms`
    : '–';
const pct = (value) => `${Math.round(num(value) * 100)}%`;
function text(value) {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
function tokens(usage) {
  const prompt = num(usage?.prompt_tokens);
  const hit = num(usage?.prompt_cache_hit_tokens ?? usage?.prompt_tokens_details?.cached_tokens);
  const reasoning = num(usage?.completion_tokens_details?.reasoning_tokens);
  const completion = num(usage?.completion_tokens);
  return {
    prompt,
    hit,
    miss: Math.max(0, prompt - hit),
    reasoning,
    output: Math.max(0, completion - reasoning),
    total: prompt + completion,
  };
}

// ---- runs list ----------------------------------------------------------------------------

async function renderRuns() {
  const { runs } = await api('/api/runs');
  const rows = runs.map((run) => {
    const t = tokens(run.usage);
    return h(
      'tr',
      {
        'data-testid': 'run-row',
        'data-run-id': run.runId,
        onclick: () => (location.hash = `#/run/${encodeURIComponent(run.runId)}`),
      },
      h('td', {}, new Date(run.startedAt).toLocaleString()),
      h('td', {}, run.agent),
      h('td', {}, run.model),
      h(
        'td',
        { className: `status-${run.status}` },
        run.status === 'done' ? (run.finishReason ?? 'done') : run.status,
      ),
      h('td', {}, run.steps),
      h('td', {}, run.toolCalls),
      h('td', {}, t.total),
      h('td', {}, money(run.cost)),
      h('td', {}, ms(run.durationMs)),
    );
  });
  show(
    h('h2', {}, 'Recorded runs'),
    runs.length === 0
      ? h(
          'p',
          { className: 'muted', 'data-testid': 'no-runs' },
          'No runs recorded yet. Chat with an agent, or run one with PLUMB_RECORD set.',
        )
      : h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...[
                'Started',
                'Agent',
                'Model',
                'Status',
                'Steps',
                'Tool calls',
                'Tokens',
                'Cost',
                'Duration',
              ].map((title) => h('th', {}, title)),
            ),
          ),
          h('tbody', {}, rows),
        ),
  );
  timer = setTimeout(() => route(), 1500);
}

// ---- one run as a timeline ----------------------------------------------------------------

/** Steps from the events: finished steps from `step-end`, the running one from its deltas. */
function stepsOf(events) {
  const steps = new Map();
  const step = (index) => {
    if (!steps.has(index))
      steps.set(index, { index, text: '', reasoning: '', calls: new Map(), approvals: [], done: undefined });
    return steps.get(index);
  };
  for (const event of events) {
    const index = event.stepIndex;
    const data = event.data ?? {};
    if (typeof index !== 'number') continue;
    const s = step(index);
    if (event.type === 'text-delta') s.text += data.text ?? '';
    else if (event.type === 'reasoning-delta') s.reasoning += data.text ?? '';
    else if (event.type === 'tool-call')
      s.calls.set(data.id, {
        id: data.id,
        name: data.name,
        args: data.args ?? data.rawArguments,
        status: 'running',
      });
    else if (event.type === 'tool-result')
      s.calls.set(data.id, { ...s.calls.get(data.id), ...data.toolCall });
    else if (event.type === 'tool-approval-request') s.approvals.push(data);
    else if (event.type === 'step-end') s.done = data.step;
  }
  return [...steps.values()].sort((a, b) => a.index - b.index);
}

function bar(label, testid, parts, scale, format = String) {
  const total = parts.reduce((sum, part) => sum + part.value, 0);
  const el = h('div', {
    className: 'bar',
    'data-testid': testid,
    title: parts.map((p) => `${p.name}: ${p.label ?? p.value}`).join(' · '),
  });
  for (const part of parts) {
    const span = h('span', { className: `seg-${part.name}`, 'data-segment': part.name });
    span.style.width = `${scale > 0 ? (part.value / scale) * 100 : 0}%`;
    el.append(span);
  }
  return [
    h('span', { className: 'muted' }, label),
    h(
      'div',
      {},
      el,
      h(
        'div',
        { className: 'legend' },
        parts.map((p) =>
          h('span', {}, h('i', { className: `seg-${p.name}` }), `${p.name} ${p.label ?? p.value}`),
        ),
        `total ${format(total)}`,
      ),
    ),
  ];
}

function toolSpan(calls) {
  const times = calls
    .filter((c) => c.startedAt && c.endedAt)
    .map((c) => [Date.parse(c.startedAt), Date.parse(c.endedAt)]);
  if (times.length > 0) return Math.max(...times.map((t) => t[1])) - Math.min(...times.map((t) => t[0]));
  return calls.reduce((sum, c) => sum + num(c.durationMs), 0);
}

function renderCall(call, approvable, runId) {
  const failed = call.status === 'error' || call.status === 'rejected' || call.status === 'cancelled';
  const box = h(
    'div',
    { className: `tool${failed ? ' error' : ''}`, 'data-testid': 'tool-call', 'data-status': call.status },
    h(
      'div',
      {},
      h('b', {}, call.name),
      ` · ${call.status}`,
      call.durationMs !== undefined ? ` · ${ms(call.durationMs)}` : '',
    ),
    h('div', { className: 'muted' }, 'arguments'),
    h('pre', {}, text(call.args)),
  );
  if (call.status === 'ok')
    box.append(
      h('div', { className: 'muted' }, 'result'),
      h('pre', { 'data-testid': 'tool-result' }, text(call.result ?? call.content)),
    );
  else if (call.status !== 'running' && call.status !== 'pending')
    box.append(h('div', { className: 'muted' }, 'error'), h('pre', {}, text(call.error ?? call.content)));
  if (call.status === 'pending') {
    const decide = async (approved) => {
      try {
        await api(`/api/runs/${encodeURIComponent(runId)}/decide`, {
          method: 'POST',
          body: JSON.stringify({ callId: call.id, approved }),
        });
        location.hash = '#/';
      } catch (error) {
        box.append(h('div', { className: 'error-box' }, error.message));
      }
    };
    box.append(
      h(
        'div',
        { className: 'approval', 'data-testid': 'approval' },
        'Waiting for approval. ',
        approvable
          ? [
              h('button', { 'data-testid': 'approve', onclick: () => decide(true) }, 'Approve'),
              h('button', { 'data-testid': 'reject', onclick: () => decide(false) }, 'Reject'),
            ]
          : h(
              'span',
              { className: 'muted' },
              'Only the process that ran it can decide (runs started from this studio can be decided here).',
            ),
      ),
    );
  }
  return box;
}

/** How a step without a recorded end is shown: still streaming, paused for approval, or cut. */
function unfinished(run) {
  if (run.status === 'running') return 'running…';
  if (run.finishReason === 'interrupted') return 'waiting for approval';
  return run.status === 'error' ? 'failed' : 'ended';
}

async function renderRun(runId) {
  const { run, events, approvable } = await api(`/api/runs/${encodeURIComponent(runId)}`);
  const steps = stepsOf(events);
  const runTokens = tokens(run.usage);
  const end = events.find((event) => event.type === 'run-end');
  const failure = events.find((event) => event.type === 'run-error');
  const pendingIds = new Set(end?.data?.interruptions?.map((call) => call.id) ?? []);
  const maxTime = Math.max(1, ...steps.map((s) => num(s.done?.latencyMs) + toolSpan([...s.calls.values()])));
  const maxTokens = Math.max(1, ...steps.map((s) => tokens(s.done?.usage).total));
  const cards = steps.map((s) => {
    const done = s.done;
    const calls = done ? done.toolCalls : [...s.calls.values()];
    const queued = num(done?.queueMs);
    const t = tokens(done?.usage);
    const card = h(
      'section',
      { className: 'step', 'data-testid': 'step' },
      h(
        'h3',
        {},
        `Step ${s.index + 1}`,
        done ? ` · ${done.finishReason}` : ` · ${unfinished(run)}`,
        done?.requestId ? h('span', { className: 'muted' }, ` · request ${done.requestId}`) : '',
      ),
    );
    if (done) {
      card.append(
        h(
          'div',
          { className: 'bars' },
          bar(
            'time',
            'time-bar',
            [
              { name: 'queued', value: queued, label: ms(queued) },
              {
                name: 'model',
                value: Math.max(0, num(done.latencyMs) - queued),
                label: ms(Math.max(0, num(done.latencyMs) - queued)),
              },
              { name: 'tools', value: toolSpan(calls), label: ms(toolSpan(calls)) },
            ],
            maxTime,
            ms,
          ),
          bar(
            'tokens',
            'token-bar',
            [
              { name: 'hit', value: t.hit },
              { name: 'miss', value: t.miss },
              { name: 'output', value: t.output },
              { name: 'reasoning', value: t.reasoning },
            ],
            maxTokens,
          ),
        ),
        h(
          'div',
          { className: 'legend' },
          `cache hit ${pct(done.cacheHitRatio)} · cost ${money(done.cost)}${done.retries ? ` · ${done.retries} retries` : ''}`,
        ),
      );
    }
    const reasoning = done?.reasoning ?? s.reasoning;
    if (reasoning)
      card.append(
        h(
          'details',
          { className: 'reasoning', open: !done },
          h('summary', {}, 'reasoning'),
          h('pre', { className: 'reasoning-text' }, reasoning),
        ),
      );
    const answer = done?.text ?? s.text;
    if (answer) card.append(h('div', { className: 'text', 'data-testid': 'step-text' }, answer));
    for (const call of calls) {
      const status =
        call.status === 'pending' || (pendingIds.has(call.id) && call.status !== 'ok')
          ? 'pending'
          : call.status;
      card.append(renderCall({ ...call, status }, approvable.includes(call.id), run.runId));
    }
    if (done?.outputError)
      card.append(h('div', { className: 'error-box' }, `output rejected: ${done.outputError}`));
    return card;
  });
  const decisions = events.find((event) => event.type === 'approval-decisions');
  const actions = h('div', {});
  if (info.agent) {
    actions.append(
      h(
        'button',
        {
          'data-testid': 'rerun',
          onclick: async (event) => {
            event.target.disabled = true;
            try {
              const { runId: next } = await api(`/api/runs/${encodeURIComponent(run.runId)}/rerun`, {
                method: 'POST',
                body: '{}',
              });
              location.hash = next ? `#/run/${encodeURIComponent(next)}` : '#/';
            } catch (error) {
              actions.append(h('div', { className: 'error-box' }, error.message));
            }
          },
        },
        'Re-run against the emulator',
      ),
    );
  }
  show(
    h('p', {}, h('a', { href: '#/' }, '← all runs')),
    h('h2', { 'data-testid': 'run-title' }, `${run.agent} · ${run.runId}`),
    h(
      'div',
      { className: 'summary', 'data-testid': 'run-summary' },
      ...[
        ['status', run.status === 'done' ? (run.finishReason ?? 'done') : run.status],
        ['model', run.model],
        ['steps', run.steps],
        ['tokens', `${runTokens.total} (${runTokens.hit} cached)`],
        ['cache hit', runTokens.prompt ? pct(runTokens.hit / runTokens.prompt) : '–'],
        ['cost', money(run.cost)],
        ['duration', ms(run.durationMs)],
      ].map(([label, value]) =>
        h(
          'div',
          {},
          h('span', { className: 'muted' }, label),
          h('b', { 'data-testid': `summary-${label.replace(' ', '-')}` }, String(value)),
        ),
      ),
    ),
    run.resumedFrom
      ? h(
          'p',
          {},
          'Resumed from ',
          h('a', { href: `#/run/${encodeURIComponent(run.resumedFrom)}` }, run.resumedFrom),
        )
      : '',
    decisions
      ? h('pre', { className: 'muted' }, `approval decisions: ${text(decisions.data?.decisions)}`)
      : '',
    actions,
    failure
      ? h(
          'div',
          { className: 'error-box', 'data-testid': 'run-error' },
          `${failure.data?.name ?? 'Error'}: ${failure.data?.message ?? ''}`,
        )
      : '',
    ...cards,
  );
  if (run.status === 'running') timer = setTimeout(() => route(), 700);
}

// ---- chat ---------------------------------------------------------------------------------

function renderChat() {
  if (!info.agent) {
    show(
      h('h2', {}, 'Chat'),
      h('p', { className: 'muted' }, 'Start the studio with an agent module to chat: plumb studio agent.ts'),
    );
    return;
  }
  const log = h(
    'div',
    { className: 'chat-log', 'data-testid': 'chat-log' },
    chat.history.map((m) => h('div', { className: `msg ${m.role}` }, m.content)),
  );
  const input = h('input', {
    'data-testid': 'chat-input',
    placeholder: 'Message the agent',
    autocomplete: 'off',
  });
  const form = h(
    'form',
    {
      className: 'chat',
      onsubmit: (event) => {
        event.preventDefault();
        void send(input, log);
      },
    },
    input,
    h('button', { 'data-testid': 'chat-send' }, 'Send'),
  );
  show(h('h2', {}, 'Chat'), log, form);
  input.focus();
}

/** Reads the UI message stream (server-sent events) the chat endpoint answers with. */
async function* chunks(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += value;
    for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      if (data && data !== '[DONE]') yield JSON.parse(data);
    }
  }
}

async function send(input, log) {
  const content = input.value.trim();
  if (!content || chat.busy) return;
  chat.busy = true;
  input.value = '';
  chat.history.push({ role: 'user', content });
  log.append(h('div', { className: 'msg user' }, content));
  const answer = h('div', { className: 'msg assistant', 'data-testid': 'chat-answer' });
  log.append(answer);
  let reply = '';
  try {
    const response = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-plumb-token': token },
      body: JSON.stringify({ messages: chat.history }),
    });
    if (!response.ok)
      throw new Error((await response.json().catch(() => ({}))).error ?? `HTTP ${response.status}`);
    for await (const chunk of chunks(response)) {
      if (chunk.type === 'text-delta') {
        reply += chunk.delta;
        answer.textContent = reply;
      } else if (chunk.type === 'tool-input-available') {
        log.append(
          h(
            'div',
            { className: 'tool', 'data-testid': 'chat-tool' },
            `→ ${chunk.toolName}(${text(chunk.input)})`,
          ),
        );
      } else if (chunk.type === 'tool-output-available') {
        log.append(h('div', { className: 'tool' }, `← ${text(chunk.output)}`));
      } else if (chunk.type === 'tool-approval-request') {
        log.append(
          h(
            'div',
            { className: 'approval', 'data-testid': 'chat-approval' },
            'A call waits for approval: ',
            h('a', { href: '#/' }, 'open the run'),
            ' to approve or reject it.',
          ),
        );
      } else if (chunk.type === 'error') {
        log.append(h('div', { className: 'error-box' }, chunk.errorText));
      } else if (chunk.type === 'data-plumb-usage' && chunk.id === 'run') {
        const t = tokens(chunk.data.usage);
        log.append(
          h(
            'div',
            { className: 'legend', 'data-testid': 'chat-usage' },
            `${t.total} tokens · cache hit ${pct(chunk.data.cacheHitRatio)} · cost ${money(chunk.data.cost)} · ${chunk.data.finishReason}`,
          ),
        );
      }
    }
    if (reply) chat.history.push({ role: 'assistant', content: reply });
  } catch (error) {
    log.append(h('div', { className: 'error-box' }, error.message));
  } finally {
    chat.busy = false;
  }
}

// ---- routing ------------------------------------------------------------------------------

async function route() {
  clearTimeout(timer);
  const hash = location.hash || '#/';
  try {
    if (hash.startsWith('#/run/')) await renderRun(decodeURIComponent(hash.slice(6)));
    else if (hash === '#/chat') renderChat();
    else await renderRuns();
  } catch (error) {
    show(
      h('div', { className: 'error-box' }, error.message),
      h('p', {}, h('a', { href: '#/' }, '← all runs')),
    );
  }
}

window.addEventListener('hashchange', route);
api('/api/info')
  .then((result) => {
    info = result;
    document.getElementById('mode').textContent =
      `${info.offline ? 'offline (emulator)' : 'DeepSeek API'}${info.agent ? ' · agent loaded' : ''}`;
  })
  .catch(() => {})
  .finally(route);

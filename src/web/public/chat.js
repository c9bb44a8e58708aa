// 邻里 · 内置网页聊天（前端）
// Plain ES module, no build step. Talks to /api/webchat/* (see the server).
// Rule: message text is ALWAYS inserted as text (textContent / text nodes), never as HTML.

const API = {
  bootstrap: 'api/webchat/bootstrap',
  history: 'api/webchat/history',
  stream: 'api/webchat/stream',
  messages: 'api/webchat/messages',
};

const LS_PERSONA = 'linli.webchat.persona';
const LS_CONVERSATION = 'linli.webchat.conversation';
const LS_SCREEN = 'linli.webchat.screen';
const lsLastRead = (personaId) => `linli.webchat.lastRead.${personaId}`;

const TIME_GAP_MS = 5 * 60 * 1000; // a time separator when messages are 5+ minutes apart
const NEAR_BOTTOM_PX = 120;
const HISTORY_LIMIT = 200;
const LONG_PRESS_MS = 450;

const $ = (id) => document.getElementById(id);
const el = {
  app: $('app'),
  listTitle: $('list-title'),
  listConn: $('list-conn'),
  identityHint: $('identity-hint'),
  tryCard: $('try-card'),
  convList: $('conv-list'),
  chip: $('persona-chip'),
  chipAvatar: $('persona-chip-avatar'),
  chipName: $('persona-chip-name'),
  select: $('persona-select'),
  slotList: $('persona-slot-list'),
  slotChat: $('persona-slot-chat'),
  back: $('back-btn'),
  backBadge: $('back-badge'),
  title: $('chat-title'),
  subtitle: $('chat-subtitle'),
  messages: $('messages'),
  inner: $('messages-inner'),
  newPill: $('new-pill'),
  quoteBar: $('quote-bar'),
  quoteText: $('quote-bar-text'),
  quoteClose: $('quote-bar-close'),
  composer: $('composer'),
  input: $('composer-input'),
  send: $('send-btn'),
  at: $('at-btn'),
  errorScreen: $('screen-error'),
  errorText: $('error-text'),
  retry: $('retry-btn'),
  menu: $('msg-menu'),
  toast: $('toast'),
};

/* ------------------------------------------------------------------ state */

const state = {
  botName: '邻里助手',
  personas: [],
  personaById: new Map(),
  groups: [],
  groupById: new Map(),
  me: null, // persona id
  gen: 0, // bumps on persona switch; stale async results are dropped
  current: null, // open conversation id
  screen: 'list',
  /** conversation id -> { messages: Map<id, Message>, loaded, loading, sys: [] } */
  convs: new Map(),
  /** clientId -> pending send */
  pending: new Map(),
  /** message id -> { senderName, text } quote shown under my message (this session) */
  quotes: new Map(),
  replyTarget: null, // { conversation, messageId, senderName, text }
  drafts: new Map(),
  lastRead: {},
  // what is on screen now
  view: { conv: null, maxId: 0, lastTime: 0, hasPending: false, unseen: 0 },
  // stream
  es: null,
  esGen: 0,
  esOpenedOnce: false,
  esRetry: 0,
  esTimer: 0,
  connected: false,
  connTimer: 0,
  sysSeq: 0,
};

/* ---------------------------------------------------------------- helpers */

function ls(key, value) {
  try {
    if (value === undefined) return localStorage.getItem(key);
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch { /* private mode */ }
  return null;
}

function uuid() {
  try {
    if (crypto.randomUUID) return crypto.randomUUID();
  } catch { /* insecure context */ }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const svgNS = 'http://www.w3.org/2000/svg';
function icon(paths, viewBox = '0 0 24 24') {
  const s = document.createElementNS(svgNS, 'svg');
  s.setAttribute('viewBox', viewBox);
  s.setAttribute('aria-hidden', 'true');
  for (const d of paths) {
    const p = document.createElementNS(svgNS, 'path');
    p.setAttribute('d', d);
    p.setAttribute('fill', 'none');
    p.setAttribute('stroke', 'currentColor');
    p.setAttribute('stroke-width', '1.8');
    p.setAttribute('stroke-linecap', 'round');
    p.setAttribute('stroke-linejoin', 'round');
    s.append(p);
  }
  return s;
}
const ICON_REPLY = ['M9 14L4 9l5-5', 'M4 9h10a6 6 0 0 1 6 6v4'];
const ICON_COPY = ['M9 9h10v11H9z', 'M5 15H4V4h11v1'];
const ICON_DELETE = ['M4 7h16', 'M10 11v6M14 11v6', 'M6 7l1 13h10l1-13', 'M9 7V4h6v3'];
const ICON_RETRY = ['M20 12a8 8 0 1 1-2.3-5.7', 'M20 4v5h-5'];

const isDm = (conv) => typeof conv === 'string' && conv.startsWith('dm:');
const dmId = () => `dm:${state.me}`;
const meP = () => state.personaById.get(state.me);

function conversationIds() {
  return [...state.groups.map((g) => g.id), dmId()];
}
function conversationTitle(conv) {
  if (isDm(conv)) return `与 ${state.botName} 私聊`;
  return state.groupById.get(conv)?.title ?? conv;
}
function conversationSubtitle(conv) {
  if (isDm(conv)) return '私聊 · 只有你和机器人能看到';
  const g = state.groupById.get(conv);
  const n = state.personas.length + 1;
  return `${g?.community ? `${g.community} · ` : ''}${n}位成员`;
}

function convData(conv) {
  let c = state.convs.get(conv);
  if (!c) {
    c = { messages: new Map(), loaded: false, loading: null, sys: [] };
    state.convs.set(conv, c);
  }
  return c;
}
function sortedMessages(conv) {
  return [...convData(conv).messages.values()].sort((a, b) => a.id - b.id);
}
function maxId(conv) {
  let m = 0;
  for (const id of convData(conv).messages.keys()) if (id > m) m = id;
  return m;
}
function pendingsOf(conv) {
  return [...state.pending.values()].filter((p) => p.conversation === conv).sort((a, b) => a.seq - b.seq);
}

function toTime(iso) {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : Date.now();
}

const WEEK = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];
const pad = (n) => String(n).padStart(2, '0');
function dayDiff(t) {
  const a = new Date(t);
  const b = new Date();
  const da = new Date(a.getFullYear(), a.getMonth(), a.getDate()).getTime();
  const db = new Date(b.getFullYear(), b.getMonth(), b.getDate()).getTime();
  return Math.round((db - da) / 86400000);
}
function fmtSeparator(t) {
  const d = new Date(t);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const diff = dayDiff(t);
  if (diff <= 0) return hm;
  if (diff === 1) return `昨天 ${hm}`;
  if (diff < 7) return `${WEEK[d.getDay()]} ${hm}`;
  if (d.getFullYear() === new Date().getFullYear()) return `${d.getMonth() + 1}月${d.getDate()}日 ${hm}`;
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${hm}`;
}
function fmtListTime(t) {
  const d = new Date(t);
  const diff = dayDiff(t);
  if (diff <= 0) return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (diff === 1) return '昨天';
  if (diff < 7) return WEEK[d.getDay()];
  if (d.getFullYear() === new Date().getFullYear()) return `${d.getMonth() + 1}月${d.getDate()}日`;
  return `${String(d.getFullYear()).slice(2)}/${d.getMonth() + 1}/${d.getDate()}`;
}

/* ----------------------------------------------------------------- avatar */

const EMOJI_RE = /\p{Extended_Pictographic}/u;
function hueOf(s) {
  let x = 0;
  for (const ch of s) x = (x * 31 + ch.codePointAt(0)) >>> 0;
  return x % 4;
}
function avatarEl(senderId, senderName, extraClass = '') {
  const span = h('span', { class: `avatar ${extraClass}`.trim(), 'aria-hidden': 'true' });
  if (senderId === null || senderId === 'bot') {
    span.classList.add('role-bot');
    span.textContent = '🤖';
    return span;
  }
  const p = state.personaById.get(senderId);
  const face = (p?.avatar || '').trim() || [...(senderName || '?').trim()][0] || '?';
  span.textContent = face;
  if (!EMOJI_RE.test(face)) span.classList.add('is-text');
  if (p) span.classList.add(`role-${p.role}`);
  else span.classList.add(`hue-${hueOf(senderName || '?')}`);
  return span;
}
function groupAvatarEl() {
  const members = [null, ...state.personas.map((p) => p.id)].slice(0, 9);
  const box = h('span', { class: `group-avatar ${members.length > 4 ? 'c3' : 'c2'}`, 'aria-hidden': 'true' });
  for (const id of members) {
    const a = avatarEl(id, state.personaById.get(id)?.name ?? '');
    if (a.classList.contains('is-text')) a.textContent = [...a.textContent][0];
    box.append(a);
  }
  return box;
}

/* ------------------------------------------------------------- rich text */

let mentionRe = null;
function buildMentionRe() {
  const names = [state.botName, ...state.personas.map((p) => p.name)]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const mention = names.length ? `[@＠](?:${names.join('|')})` : '(?!)';
  mentionRe = new RegExp(`(https?:\\/\\/[^\\s<>"'，。！？；、）)\\]】]+)|(${mention})`, 'g');
}
/** Fill `node` with `text` as text nodes; links and @mentions become elements whose content is text. */
function fillText(node, text) {
  node.textContent = '';
  const s = String(text ?? '');
  if (!mentionRe) buildMentionRe();
  mentionRe.lastIndex = 0;
  let last = 0;
  for (let m = mentionRe.exec(s); m; m = mentionRe.exec(s)) {
    if (m.index > last) node.append(document.createTextNode(s.slice(last, m.index)));
    if (m[1]) {
      const a = h('a', { href: m[1], target: '_blank', rel: 'noopener noreferrer' });
      a.textContent = m[1];
      node.append(a);
    } else {
      node.append(h('span', { class: 'at', text: m[2] }));
    }
    last = m.index + m[0].length;
  }
  if (last < s.length) node.append(document.createTextNode(s.slice(last)));
}

/* -------------------------------------------------------------------- api */

async function api(path, opts = {}) {
  const res = await fetch(path, {
    ...opts,
    headers: { Accept: 'application/json', ...(opts.body ? { 'Content-Type': 'application/json' } : {}), ...opts.headers },
    cache: 'no-store',
  });
  let data = null;
  try { data = await res.json(); } catch { /* empty or not json */ }
  return { ok: res.ok, status: res.status, data };
}

/* ---------------------------------------------------------------- boot */

async function boot() {
  el.errorScreen.hidden = true;
  let r;
  try {
    r = await api(API.bootstrap);
  } catch {
    r = null;
  }
  if (!r?.ok || !r.data || !Array.isArray(r.data.personas)) {
    el.errorText.textContent = r?.data?.error || '无法连接聊天服务\n请确认服务已启动后重试';
    el.errorScreen.hidden = false;
    return;
  }
  const d = r.data;
  state.botName = d.botName || state.botName;
  state.personas = d.personas;
  state.personaById = new Map(d.personas.map((p) => [p.id, p]));
  state.groups = Array.isArray(d.groups) ? d.groups : [];
  state.groupById = new Map(state.groups.map((g) => [g.id, g]));
  buildMentionRe();

  el.select.textContent = '';
  for (const p of state.personas) {
    el.select.append(h('option', { value: p.id, text: `${p.avatar ? `${p.avatar} ` : ''}${p.name} · ${p.roleLabel}` }));
  }
  if (!state.personas.length) {
    el.errorText.textContent = '还没有可用的身份\n请先加载演示数据';
    el.errorScreen.hidden = false;
    return;
  }

  const saved = ls(LS_PERSONA);
  state.me = state.personaById.has(saved) ? saved : state.personas[0].id;
  el.select.value = state.me;
  loadLastRead();
  updateChip();
  updateComposerHints();
  renderTryThis();
  renderList();

  // Where we were: reopen the last conversation if we were in it.
  history.replaceState({ linli: 'list' }, '');
  let conv = ls(LS_CONVERSATION);
  if (conv && isDm(conv)) conv = dmId();
  if (conv && !conversationIds().includes(conv)) conv = null;
  state.current = conv;
  if (conv && ls(LS_SCREEN) === 'chat') openConversation(conv, { push: true, instant: true });
  else renderList();

  openStream();
  preloadAll();
}

/* -------------------------------------------------------------- persona */

function updateChip() {
  const p = meP();
  if (!p) return;
  const a = avatarEl(p.id, p.name, 'persona-chip-avatar');
  a.id = 'persona-chip-avatar';
  el.chipAvatar.replaceWith(a);
  el.chipAvatar = a;
  el.chipName.textContent = p.name;
  el.chip.title = `当前身份：${p.name}（${p.roleLabel}），点击切换`;
  el.identityHint.textContent = '';
  el.identityHint.append('你正以 ', h('b', { text: p.name }), `（${p.roleLabel}）的身份聊天，右上角可切换身份。`);
}

function switchPersona(id) {
  if (!state.personaById.has(id) || id === state.me) return;
  const wasDm = isDm(state.current);
  state.me = id;
  state.gen += 1;
  ls(LS_PERSONA, id);
  // Everything we hold was seen through the old persona's eyes.
  state.convs.clear();
  state.pending.clear();
  state.quotes.clear();
  state.drafts.clear();
  setReplyTarget(null);
  loadLastRead();
  updateChip();
  if (wasDm) {
    state.current = dmId();
    ls(LS_CONVERSATION, state.current);
  }
  el.input.value = '';
  updateSendState();
  renderList();
  if (state.screen === 'chat' && state.current) {
    showChatHeader(state.current);
    renderAll({ scroll: 'bottom' });
    ensureLoaded(state.current, true);
  }
  openStream();
  preloadAll();
  const p = meP();
  toast(`已切换为 ${p.name}（${p.roleLabel}）`);
}

/* ------------------------------------------------------------- try this */

// The demo's first steps for residents: each opens the chat as the right neighbour, with the
// words already typed; pressing 发送 is left to the person. Shown only where the demo's groups are.
const TRY_STEPS = [
  { id: 'need', title: '报一个需求', hint: '张阿姨在3号楼群里说楼道灯坏了', persona: 'zhang-ayi', conv: 'ht01-b3', text: '需求 3号楼楼道灯坏了，晚上上楼黑乎乎的' },
  { id: 'upvote', title: '+1 支持邻居的需求', hint: '刘大爷也想参加合唱队', persona: 'liu-daye', conv: 'ht01-b3', text: '+1 8' },
  { id: 'signup', title: '报名志愿活动', hint: '小李报名独居老人上门探访', persona: 'xiao-li', conv: 'ht01-all', text: '报名 3' },
  { id: 'vote', title: '给微创投提案投票', hint: '张阿姨投地下室自习室一票', persona: 'zhang-ayi', conv: 'ht01-all', text: '投票 3' },
  { id: 'mine', title: '我的记录', hint: '小李私聊查看志愿时长和星级', persona: 'xiao-li', conv: 'dm', text: '我的记录' },
];

function renderTryThis() {
  const ok = TRY_STEPS.every((x) => state.personaById.has(x.persona) && (x.conv === 'dm' || state.groupById.has(x.conv)));
  el.tryCard.hidden = !ok;
  el.tryCard.textContent = '';
  if (!ok) return;
  const list = h('ol', { class: 'try-steps' });
  for (const x of TRY_STEPS) {
    const btn = h('button', { type: 'button', class: 'try-step', 'data-testid': `try-${x.id}` }, h('b', { text: x.title }), h('span', { class: 'try-hint', text: `${x.hint}：「${x.text}」` }));
    btn.addEventListener('click', () => tryStep(x));
    list.append(h('li', {}, btn));
  }
  el.tryCard.append(h('h2', { class: 'try-title', text: '试一试（点一下，再按「发送」）' }), list);
}

function tryStep(x) {
  if (x.persona !== state.me) {
    el.select.value = x.persona;
    switchPersona(x.persona);
  }
  const conv = x.conv === 'dm' ? dmId() : x.conv;
  openConversation(conv, { push: true });
  el.input.value = x.text;
  updateSendState();
  el.input.focus();
}

/* ------------------------------------------------------------- last read */

function loadLastRead() {
  try {
    state.lastRead = JSON.parse(ls(lsLastRead(state.me)) || '{}') || {};
  } catch {
    state.lastRead = {};
  }
}
let lastReadTimer = 0;
function saveLastRead() {
  clearTimeout(lastReadTimer);
  lastReadTimer = setTimeout(() => ls(lsLastRead(state.me), JSON.stringify(state.lastRead)), 300);
}
function markRead(conv) {
  const m = maxId(conv);
  if (m && (state.lastRead[conv] ?? 0) < m) {
    state.lastRead[conv] = m;
    saveLastRead();
  }
}
function unreadOf(conv) {
  const c = state.convs.get(conv);
  if (!c?.loaded) return { count: 0, mentioned: false };
  const since = state.lastRead[conv] ?? 0;
  let count = 0;
  let mentioned = false;
  const me = meP();
  for (const m of c.messages.values()) {
    if (m.id > since && m.senderId !== state.me) {
      count += 1;
      if (me && (m.text.includes(`@${me.name}`) || m.text.includes(`＠${me.name}`))) mentioned = true;
    }
  }
  return { count, mentioned };
}
function chatIsVisible(conv) {
  return state.screen === 'chat' && state.current === conv && document.visibilityState === 'visible';
}

/* --------------------------------------------------------------- history */

function ensureLoaded(conv, force = false) {
  const c = convData(conv);
  if (c.loading) {
    // A load is in flight but may predate what we need (e.g. the stream just (re)opened): go again after it.
    if (force) c.again = true;
    return c.loading;
  }
  if (c.loaded && !force) return Promise.resolve();
  const gen = state.gen;
  c.loading = (async () => {
    try {
      const q = new URLSearchParams({ conversation: conv, persona: state.me });
      const r = await api(`${API.history}?${q}`);
      if (gen !== state.gen) return;
      if (!r.ok) throw new Error(r.data?.error || `HTTP ${r.status}`);
      const msgs = Array.isArray(r.data?.messages) ? r.data.messages : [];
      const firstLoad = !c.loaded;
      c.loaded = true;
      c.truncated = msgs.length >= HISTORY_LIMIT;
      const fresh = mergeMessages(conv, msgs);
      // First sight of a conversation: what is already there counts as read.
      if (firstLoad && state.lastRead[conv] === undefined) {
        state.lastRead[conv] = maxId(conv);
        saveLastRead();
      }
      if (state.current === conv && state.screen === 'chat') {
        if (firstLoad) renderAll({ scroll: 'bottom' });
        else if (fresh.length) renderAll({ fresh });
        if (chatIsVisible(conv)) markRead(conv);
      }
      scheduleListRender();
    } catch (err) {
      if (gen !== state.gen) return;
      if (!c.loaded && state.current === conv) {
        c.loadError = true;
        renderAll({});
      }
      console.warn('[linli] history failed', conv, err);
    } finally {
      if (gen === state.gen) {
        c.loading = null;
        if (c.again) {
          c.again = false;
          ensureLoaded(conv, true);
        }
      }
    }
  })();
  return c.loading;
}

async function preloadAll() {
  const gen = state.gen;
  const ids = conversationIds().filter((id) => id !== state.current).slice(0, 30);
  if (state.current) ensureLoaded(state.current);
  // A few at a time: the list shows each conversation's last message and unread count.
  const queue = [...ids];
  const worker = async () => {
    while (queue.length && gen === state.gen) await ensureLoaded(queue.shift());
  };
  await Promise.all([worker(), worker(), worker()]);
}

/** Merge server messages; returns those that are new to us. Resolves pending sends. */
function mergeMessages(conv, msgs) {
  const c = convData(conv);
  const fresh = [];
  for (const m of msgs) {
    if (!m || typeof m.id !== 'number' || m.conversation !== conv) continue;
    if (c.messages.has(m.id)) continue;
    c.messages.set(m.id, m);
    fresh.push(m);
    resolvePending(m);
  }
  return fresh;
}

/** An echo of my own send: find the pending bubble it answers. */
function resolvePending(m) {
  if (m.senderId !== state.me) return null;
  let p = m.clientId ? state.pending.get(m.clientId) : null;
  if (!p) {
    // Fallback for echoes without clientId (e.g. from history): same text, sent around then.
    const t = toTime(m.createdAt);
    p = pendingsOf(m.conversation).find((x) => x.text === m.text && t >= x.createdAt - 120000) || null;
  }
  if (!p || p.conversation !== m.conversation) return null;
  state.pending.delete(p.clientId);
  if (p.quote) state.quotes.set(m.id, p.quote);
  return p;
}

/* ---------------------------------------------------------------- stream */

function openStream() {
  closeStream();
  const gen = ++state.esGen;
  const es = new EventSource(`${API.stream}?${new URLSearchParams({ persona: state.me })}`);
  state.es = es;
  es.addEventListener('message', (e) => {
    if (gen !== state.esGen) return;
    let m;
    try { m = JSON.parse(e.data); } catch { return; }
    ingest(m);
  });
  es.addEventListener('open', () => {
    if (gen !== state.esGen) return;
    state.esRetry = 0;
    setConnected(true);
    // Fill any gap: everything loaded may have missed messages while we were away.
    const again = state.esOpenedOnce;
    state.esOpenedOnce = true;
    for (const [conv, c] of state.convs) {
      if (c.loaded && (again || conv === state.current)) ensureLoaded(conv, true);
    }
  });
  es.addEventListener('error', () => {
    if (gen !== state.esGen) return;
    setConnected(false);
    if (es.readyState === EventSource.CLOSED) {
      // The browser gave up (bad status or content type): retry ourselves, backing off.
      const delay = Math.min(15000, 1000 * 2 ** state.esRetry++);
      clearTimeout(state.esTimer);
      state.esTimer = setTimeout(() => { if (gen === state.esGen) openStream(); }, delay);
    }
  });
}
function closeStream() {
  clearTimeout(state.esTimer);
  if (state.es) state.es.close();
  state.es = null;
  state.esOpenedOnce = false;
}
function setConnected(on) {
  state.connected = on;
  clearTimeout(state.connTimer);
  // Don't flash "connecting" for a quick reconnect.
  state.connTimer = setTimeout(paintConnection, on ? 0 : 1500);
}
function paintConnection() {
  const off = !state.connected;
  el.listConn.hidden = !off;
  if (state.current) showChatHeader(state.current);
  el.subtitle.classList.toggle('is-offline', off);
}

function ingest(m) {
  if (!m || typeof m.id !== 'number' || typeof m.conversation !== 'string') return;
  const conv = m.conversation;
  if (isDm(conv) && conv !== dmId()) return; // not ours
  const c = convData(conv);
  if (c.messages.has(m.id)) return;
  c.messages.set(m.id, m);
  const p = resolvePending(m);
  if (state.screen === 'chat' && state.current === conv) {
    showInView(m, p);
    if (chatIsVisible(conv)) markRead(conv);
  } else if (!c.loaded) {
    // We haven't fetched this one yet; do it so the list preview is right.
    ensureLoaded(conv);
  }
  scheduleListRender();
}

/* ------------------------------------------------------------------ list */

let listRaf = 0;
function scheduleListRender() {
  if (listRaf) return;
  listRaf = requestAnimationFrame(() => {
    listRaf = 0;
    renderList();
  });
}

function lastEntry(conv) {
  const pend = pendingsOf(conv);
  if (pend.length) {
    const p = pend[pend.length - 1];
    return { text: p.text, senderId: state.me, senderName: meP()?.name, time: p.createdAt, pending: true };
  }
  const c = state.convs.get(conv);
  if (!c) return null;
  let last = null;
  for (const m of c.messages.values()) if (!last || m.id > last.id) last = m;
  return last && { text: last.text, senderId: last.senderId, senderName: last.senderName, time: toTime(last.createdAt) };
}

function renderList() {
  const ids = conversationIds();
  const frag = document.createDocumentFragment();
  let total = 0;
  let backTotal = 0;
  for (const conv of ids) {
    const last = lastEntry(conv);
    const { count, mentioned } = unreadOf(conv);
    const showUnread = !(chatIsVisible(conv)) ? count : 0;
    total += showUnread;
    if (conv !== state.current) backTotal += showUnread;

    const avatar = isDm(conv) ? avatarEl(null, state.botName) : groupAvatarEl();
    const wrap = h('span', { class: 'conv-avatar-wrap' }, avatar);
    if (showUnread) wrap.append(h('span', { class: 'conv-badge', text: showUnread > 99 ? '99+' : showUnread }));

    const preview = h('span', { class: 'conv-preview' });
    const draft = state.drafts.get(conv);
    if (draft && conv !== state.current) {
      preview.append(h('span', { class: 'draft', text: '[草稿] ' }), draft);
    } else if (last) {
      if (showUnread && mentioned) preview.append(h('span', { class: 'mention', text: '[有人@我] ' }));
      const firstLine = String(last.text).split('\n')[0];
      const who = isDm(conv) || last.senderId === state.me ? '' : `${last.senderId === null ? state.botName : last.senderName}: `;
      preview.append(`${who}${firstLine}`);
    } else {
      preview.append(isDm(conv) ? '私聊里办理报名、提醒等个人事项' : (state.groupById.get(conv)?.community || ''));
    }

    const failed = pendingsOf(conv).some((p) => p.status === 'failed');
    if (failed && !(draft && conv !== state.current)) preview.prepend(h('span', { class: 'fail-mark', text: '!' }));
    const item = h(
      'button',
      {
        type: 'button',
        class: `conv-item${conv === state.current ? ' is-current' : ''}`,
        'data-testid': 'conversation-item',
        'data-conversation': conv,
        onclick: () => openConversation(conv, { push: true }),
      },
      wrap,
      h(
        'span',
        { class: 'conv-main' },
        h('span', { class: 'conv-top' },
          h('span', { class: 'conv-title', text: conversationTitle(conv) }),
          h('span', { class: 'conv-time', text: last ? fmtListTime(last.time) : '' })),
        preview,
      ),
    );
    frag.append(h('li', null, item));
  }
  el.convList.replaceChildren(frag);
  el.backBadge.hidden = backTotal === 0;
  el.backBadge.textContent = backTotal > 99 ? '99+' : String(backTotal);
  document.title = `${total ? `(${total}) ` : ''}${state.screen === 'chat' && state.current ? conversationTitle(state.current) : '邻里 · 社区群聊'}`;
}

/* ------------------------------------------------------------ navigation */

function moveChip(screen) {
  const slot = screen === 'chat' ? el.slotChat : el.slotList;
  if (el.chip.parentElement !== slot) slot.append(el.chip);
}

function showChatHeader(conv) {
  el.title.textContent = conversationTitle(conv);
  el.subtitle.textContent = state.connected ? conversationSubtitle(conv) : '连接中…';
}

function openConversation(conv, { push = false, instant = false } = {}) {
  if (state.current && state.current !== conv) saveDraft();
  if (state.replyTarget && state.replyTarget.conversation !== conv) setReplyTarget(null);
  state.current = conv;
  ls(LS_CONVERSATION, conv);
  ls(LS_SCREEN, 'chat');
  state.screen = 'chat';
  showChatHeader(conv);
  el.subtitle.classList.toggle('is-offline', !state.connected);
  el.input.value = state.drafts.get(conv) || '';
  updateSendState();
  updateComposerHints();
  hideNewPill();
  closeMenu();
  if (instant) el.app.classList.add('no-anim');
  el.app.dataset.screen = 'chat';
  moveChip('chat');
  if (instant) requestAnimationFrame(() => el.app.classList.remove('no-anim'));
  if (push && history.state?.linli !== 'chat') history.pushState({ linli: 'chat' }, '');
  renderAll({ scroll: 'bottom' });
  ensureLoaded(conv).then(() => { if (chatIsVisible(conv)) { markRead(conv); scheduleListRender(); } });
  markRead(conv);
  renderList();
}

function showList() {
  saveDraft();
  closeMenu();
  state.screen = 'list';
  ls(LS_SCREEN, 'list');
  el.app.dataset.screen = 'list';
  moveChip('list');
  el.input.blur();
  renderList();
}

function saveDraft() {
  if (!state.current) return;
  const v = el.input.value;
  if (v.trim()) state.drafts.set(state.current, v);
  else state.drafts.delete(state.current);
}

/* ------------------------------------------------------------- messages */

function nearBottom() {
  const s = el.messages;
  return s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM_PX;
}
function scrollToBottom() {
  el.messages.scrollTop = el.messages.scrollHeight;
}

/** Rebuild the open conversation. `fresh`: messages to animate / count as unseen. */
function renderAll({ scroll, fresh = [] } = {}) {
  const conv = state.current;
  if (!conv) return;
  const wasNear = nearBottom();
  const prevTop = el.messages.scrollTop;
  const c = convData(conv);
  const freshIds = new Set(fresh.map((m) => m.id));
  const frag = document.createDocumentFragment();
  const v = { conv, maxId: 0, lastTime: 0, hasPending: false, unseen: 0 };

  if (!c.loaded && !c.messages.size) {
    frag.append(c.loadError ? h('div', { class: 'sys-line is-error' }, h('span', { text: '消息加载失败，请检查网络后重试' })) : h('div', { class: 'loading', 'aria-label': '加载中' }));
  } else if (c.truncated) {
    frag.append(h('div', { class: 'history-hint', text: `仅显示最近 ${HISTORY_LIMIT} 条消息` }));
  }

  // Messages in id order, with local system lines after the message they followed.
  const items = sortedMessages(conv).map((m) => ({ key: m.id, sub: 0, m }));
  for (const s of c.sys) items.push({ key: s.afterId, sub: 1 + s.seq, s });
  items.sort((a, b) => a.key - b.key || a.sub - b.sub);
  for (const it of items) {
    if (it.m) {
      appendSeparatorIfNeeded(frag, v, toTime(it.m.createdAt));
      const node = messageEl(it.m, { animate: freshIds.has(it.m.id) });
      frag.append(node);
      v.maxId = Math.max(v.maxId, it.m.id);
    } else {
      frag.append(sysLineEl(it.s.text, it.s.error));
    }
  }
  for (const p of pendingsOf(conv)) {
    appendSeparatorIfNeeded(frag, v, p.createdAt);
    frag.append(pendingEl(p));
    if (p.error) frag.append(sysLineEl(p.error, true));
    v.hasPending = true;
  }
  if (c.loaded && !items.length && !v.hasPending) {
    frag.append(h('div', { class: 'empty-hint', text: isDm(conv)
      ? `还没有消息。\n发送「帮助」看看 ${state.botName} 能做什么。`
      : `还没有消息。\n以「需求」开头说说你遇到的问题，\n或者 @${state.botName} 问问看。` }));
  }

  el.inner.replaceChildren(frag);
  const unseenBefore = state.view.conv === conv ? state.view.unseen : 0;
  state.view = v;

  if (scroll === 'bottom' || wasNear) {
    scrollToBottom();
    hideNewPill();
  } else {
    el.messages.scrollTop = prevTop;
    const others = fresh.filter((m) => m.senderId !== state.me).length;
    if (others) bumpNewPill(unseenBefore + others);
  }
}

function appendSeparatorIfNeeded(parent, v, t) {
  if (!v.lastTime || t - v.lastTime >= TIME_GAP_MS) {
    parent.append(h('div', { class: 'time-sep', text: fmtSeparator(t) }));
  }
  v.lastTime = Math.max(v.lastTime, t);
}

/** A new message for the open conversation: append it, or rebuild when it doesn't go at the end. */
function showInView(m, resolved) {
  const v = state.view;
  if (v.conv !== m.conversation) return renderAll({ fresh: [m] });
  const wasNear = nearBottom();
  if (resolved) {
    // My own message came back: turn the pending bubble into the real one in place.
    const pendingNode = el.inner.querySelector(`.msg.pending[data-client-id="${CSS.escape(resolved.clientId)}"]`);
    const firstPending = el.inner.querySelector('.msg.pending');
    if (pendingNode && pendingNode === firstPending && m.id > v.maxId && !resolved.error) {
      const node = messageEl(m, { animate: false });
      pendingNode.replaceWith(node);
      v.maxId = m.id;
      v.hasPending = !!el.inner.querySelector('.msg.pending');
      return;
    }
    return renderAll({ fresh: [m], scroll: 'bottom' });
  }
  if (m.id < v.maxId || v.hasPending || !el.inner.querySelector('.msg, .empty-hint, .history-hint') && el.inner.querySelector('.loading')) {
    return renderAll({ fresh: [m] });
  }
  el.inner.querySelector('.empty-hint')?.remove();
  const frag = document.createDocumentFragment();
  appendSeparatorIfNeeded(frag, v, toTime(m.createdAt));
  frag.append(messageEl(m, { animate: true }));
  el.inner.append(frag);
  v.maxId = m.id;
  if (wasNear || m.senderId === state.me) {
    scrollToBottom();
    hideNewPill();
  } else if (m.senderId !== state.me) {
    bumpNewPill(v.unseen + 1);
  }
}

function nameRow(m) {
  const isBot = m.senderId === null;
  const p = isBot ? null : state.personaById.get(m.senderId);
  const row = h('div', { class: 'msg-name' }, h('span', { class: 'name', text: isBot ? (m.senderName || state.botName) : m.senderName }));
  if (isBot) row.append(h('span', { class: 'tag role-bot', text: '机器人' }));
  else if (p && p.role !== 'resident' && p.roleLabel) row.append(h('span', { class: `tag role-${p.role}`, text: p.roleLabel }));
  return row;
}

function messageEl(m, { animate }) {
  const isBot = m.senderId === null;
  const mine = !isBot && m.senderId === state.me;
  const group = !isDm(m.conversation);
  const node = h('div', {
    class: `msg ${mine ? 'mine' : isBot ? 'bot' : 'other'}${animate ? '' : ' no-anim'}`,
    'data-testid': 'message',
    'data-sender': isBot ? 'bot' : m.senderId,
    'data-message-id': m.id,
  });
  const body = h('div', { class: 'msg-body' });
  if (group && !mine) body.append(nameRow(m));
  const bubble = h('div', { class: 'bubble' });
  fillText(bubble, m.text);
  body.append(h('div', { class: 'bubble-row' }, bubble));

  const quote = m.replyTo && typeof m.replyTo === 'object' ? m.replyTo : state.quotes.get(m.id);
  if (quote) body.append(quoteEl(quote));

  if (isBot && Array.isArray(m.buttons) && m.buttons.length) {
    const row = h('div', { class: 'msg-actions' });
    for (const b of m.buttons) {
      if (!b || typeof b.label !== 'string') continue;
      row.append(h('button', {
        type: 'button',
        class: 'msg-btn',
        text: b.label,
        title: b.payload,
        onclick: (e) => onBotButton(e.currentTarget, m, b),
      }));
    }
    body.append(row);
  }
  if (isBot && group) {
    body.append(h('button', {
      type: 'button',
      class: 'msg-reply',
      title: '回复这条消息，机器人会把你的下一句当作回复',
      onclick: () => setReplyTarget(m),
    }, icon(ICON_REPLY), '回复'));
  }
  node.append(avatarEl(m.senderId, m.senderName), body);
  node._msg = m;
  return node;
}

function quoteEl(q) {
  const text = String(q.text ?? '').replace(/\s+/g, ' ').trim();
  return h('div', { class: 'msg-quote', text: `${q.senderName || state.botName}：${text}` });
}

function pendingEl(p) {
  const me = meP();
  const node = h('div', {
    class: `msg mine pending${p.status === 'sent' ? ' is-sent' : ''}${p.status === 'failed' ? ' failed' : ''}${p.animate ? '' : ' no-anim'}`,
    'data-testid': 'message',
    'data-sender': state.me,
    'data-client-id': p.clientId,
    'data-pending': p.status,
  });
  p.animate = false;
  const bubble = h('div', { class: 'bubble' });
  fillText(bubble, p.text);
  const status = h('span', { class: 'msg-status' });
  if (p.status === 'failed') {
    status.append(h('button', { type: 'button', title: '重新发送', 'aria-label': '重新发送', text: '!', onclick: () => retrySend(p.clientId) }));
  }
  const body = h('div', { class: 'msg-body' }, h('div', { class: 'bubble-row' }, bubble, status));
  if (p.quote) body.append(quoteEl(p.quote));
  node.append(avatarEl(state.me, me?.name ?? ''), body);
  node._pending = p;
  return node;
}

function sysLineEl(text, error) {
  return h('div', { class: `sys-line${error ? ' is-error' : ''}` }, h('span', { text }));
}

/* ------------------------------------------------------------ new pill */

function bumpNewPill(n) {
  state.view.unseen = n;
  el.newPill.textContent = '';
  el.newPill.append(icon(['M12 5v14', 'M6 13l6 6 6-6']), `${n}条新消息`);
  el.newPill.querySelector('svg').style.cssText = 'width:14px;height:14px';
  el.newPill.hidden = false;
}
function hideNewPill() {
  state.view.unseen = 0;
  el.newPill.hidden = true;
}

/* -------------------------------------------------------------- sending */

let pendingSeq = 0;
function send(text, { replyToBot = false, quote = null } = {}) {
  const conv = state.current;
  const clean = String(text).trim();
  if (!conv || !clean) return;
  const p = {
    clientId: uuid(),
    conversation: conv,
    persona: state.me,
    text: clean,
    replyToBot,
    quote,
    status: 'sending',
    error: null,
    createdAt: Date.now(),
    seq: ++pendingSeq,
    animate: true,
    gen: state.gen,
  };
  state.pending.set(p.clientId, p);
  renderAll({ scroll: 'bottom' });
  scheduleListRender();
  post(p);
}

async function post(p) {
  p.status = 'sending';
  p.error = null;
  let r = null;
  try {
    const body = { conversation: p.conversation, persona: p.persona, text: p.text, clientId: p.clientId };
    if (p.replyToBot) body.replyToBot = true;
    r = await api(API.messages, { method: 'POST', body: JSON.stringify(body) });
  } catch {
    r = null;
  }
  if (p.gen !== state.gen || !state.pending.has(p.clientId)) return; // persona changed, or the echo beat us
  if (r?.ok) {
    p.status = 'sent';
    repaintPending(p);
    // If the echo never shows up (stream down), the history has it.
    setTimeout(() => {
      if (state.pending.has(p.clientId) && p.gen === state.gen) ensureLoaded(p.conversation, true);
    }, 6000);
    return;
  }
  p.status = 'failed';
  p.error = r?.data?.error || (r ? `发送失败（${r.status}），请稍后重试` : '网络不可用，消息未发出。点红色感叹号重新发送');
  repaintPending(p, true);
  scheduleListRender();
}

function repaintPending(p, forceRebuild = false) {
  if (state.current !== p.conversation || state.screen !== 'chat') return;
  const node = el.inner.querySelector(`.msg.pending[data-client-id="${CSS.escape(p.clientId)}"]`);
  if (!node || forceRebuild) return renderAll({});
  node.classList.toggle('is-sent', p.status === 'sent');
  node.dataset.pending = p.status;
}

function retrySend(clientId) {
  const p = state.pending.get(clientId);
  if (!p || p.status !== 'failed') return;
  p.status = 'sending';
  p.error = null;
  renderAll({ scroll: 'bottom' });
  post(p);
}

function deletePending(clientId) {
  state.pending.delete(clientId);
  renderAll({});
  scheduleListRender();
}

function onBotButton(btn, m, b) {
  if (state.current !== m.conversation) return;
  btn.classList.add('is-busy', 'is-chosen');
  setTimeout(() => btn.classList.remove('is-busy'), 1500);
  send(b.payload ?? b.label, { replyToBot: true, quote: { senderName: m.senderName || state.botName, text: m.text } });
}

function submitComposer() {
  const text = el.input.value;
  if (!text.trim()) {
    el.input.focus();
    return;
  }
  const rt = state.replyTarget && state.replyTarget.conversation === state.current ? state.replyTarget : null;
  send(text, rt ? { replyToBot: true, quote: { senderName: rt.senderName, text: rt.text } } : {});
  el.input.value = '';
  state.drafts.delete(state.current);
  setReplyTarget(null);
  updateSendState();
}

function updateSendState() {
  el.send.classList.toggle('is-empty', !el.input.value.trim());
}
function updateComposerHints() {
  el.input.placeholder = state.current && !isDm(state.current)
    ? `以「需求」开头，或 @${state.botName}`
    : `发给 ${state.botName}`;
  el.at.title = `@${state.botName}`;
  el.at.setAttribute('aria-label', `@${state.botName}`);
}

function insertAt() {
  const tag = `@${state.botName} `;
  const input = el.input;
  const v = input.value;
  const start = input.selectionStart ?? v.length;
  const end = input.selectionEnd ?? v.length;
  const before = v.slice(0, start);
  const glue = before && !/\s$/.test(before) ? ' ' : '';
  input.value = `${before}${glue}${tag}${v.slice(end)}`;
  const caret = before.length + glue.length + tag.length;
  input.focus();
  input.setSelectionRange(caret, caret);
  updateSendState();
}

/* ------------------------------------------------------------- replying */

function setReplyTarget(m) {
  if (!m) {
    state.replyTarget = null;
    el.quoteBar.hidden = true;
    return;
  }
  state.replyTarget = { conversation: m.conversation, messageId: m.id, senderName: m.senderName || state.botName, text: m.text };
  el.quoteText.textContent = '';
  el.quoteText.append('回复 ', h('b', { text: state.replyTarget.senderName }), `：${String(m.text).replace(/\s+/g, ' ')}`);
  el.quoteBar.hidden = false;
  const keep = nearBottom();
  el.input.focus();
  if (keep) scrollToBottom();
}

/* ------------------------------------------------- long-press / context menu */

let pressTimer = 0;
let pressStart = null;
let menuOpenedAt = 0;

function msgNodeFrom(target) {
  const bubble = target.closest?.('.bubble');
  return bubble ? bubble.closest('.msg') : null;
}

el.messages.addEventListener('pointerdown', (e) => {
  const node = msgNodeFrom(e.target);
  if (!node || e.button !== 0 || e.pointerType === 'mouse') return;
  pressStart = { x: e.clientX, y: e.clientY, node };
  clearTimeout(pressTimer);
  pressTimer = setTimeout(() => {
    if (!pressStart) return;
    navigator.vibrate?.(12);
    openMenu(node);
  }, LONG_PRESS_MS);
});
const cancelPress = () => {
  clearTimeout(pressTimer);
  pressStart = null;
};
el.messages.addEventListener('pointerup', cancelPress);
el.messages.addEventListener('pointercancel', cancelPress);
el.messages.addEventListener('pointermove', (e) => {
  if (pressStart && Math.hypot(e.clientX - pressStart.x, e.clientY - pressStart.y) > 10) cancelPress();
});
el.messages.addEventListener('contextmenu', (e) => {
  const node = msgNodeFrom(e.target);
  if (!node) return;
  e.preventDefault();
  if (Date.now() - menuOpenedAt < 700 && !el.menu.hidden) return; // touch long-press already did it
  openMenu(node);
});
el.messages.addEventListener('scroll', () => {
  closeMenu();
  cancelPress();
  if (!el.newPill.hidden && nearBottom()) hideNewPill();
}, { passive: true });

function openMenu(node) {
  closeMenu();
  const m = node._msg;
  const p = node._pending;
  const items = [];
  const text = m ? m.text : p?.text;
  items.push({ label: '复制', icon: ICON_COPY, run: () => copyText(text) });
  if (m && m.senderId === null) items.push({ label: '回复', icon: ICON_REPLY, run: () => setReplyTarget(m) });
  if (p && p.status === 'failed') {
    items.push({ label: '重发', icon: ICON_RETRY, run: () => retrySend(p.clientId) });
    items.push({ label: '删除', icon: ICON_DELETE, run: () => deletePending(p.clientId) });
  }
  el.menu.replaceChildren(...items.map((it) => h('button', {
    type: 'button',
    role: 'menuitem',
    onclick: (e) => { e.stopPropagation(); closeMenu(); it.run(); },
  }, icon(it.icon), it.label)));
  el.menu.hidden = false;
  node.classList.add('is-pressed');
  el.menu._node = node;
  menuOpenedAt = Date.now();

  const app = el.app.getBoundingClientRect();
  const b = node.querySelector('.bubble').getBoundingClientRect();
  const area = el.messages.getBoundingClientRect();
  const mw = el.menu.offsetWidth;
  const mh = el.menu.offsetHeight;
  const cx = b.left + b.width / 2 - app.left;
  let left = Math.round(cx - mw / 2);
  left = Math.max(8, Math.min(left, app.width - mw - 8));
  const below = b.top - mh - 10 < area.top;
  const top = below ? b.bottom - app.top + 10 : b.top - app.top - mh - 10;
  el.menu.classList.toggle('below', below);
  el.menu.style.left = `${left}px`;
  el.menu.style.top = `${Math.round(Math.min(top, area.bottom - app.top - mh - 4))}px`;
  el.menu.style.setProperty('--arrow-x', `${Math.max(14, Math.min(mw - 14, cx - left))}px`);
}
function closeMenu() {
  if (el.menu.hidden) return;
  el.menu.hidden = true;
  el.menu._node?.classList.remove('is-pressed');
  el.menu._node = null;
}
document.addEventListener('pointerdown', (e) => {
  if (!el.menu.hidden && !el.menu.contains(e.target)) {
    if (Date.now() - menuOpenedAt > 300) closeMenu();
  }
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') {
    if (!el.menu.hidden) closeMenu();
    else if (state.replyTarget) setReplyTarget(null);
  }
});
window.addEventListener('resize', closeMenu);

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = h('textarea', { style: 'position:fixed;opacity:0;top:0;left:0' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    try { document.execCommand('copy'); } catch { /* ignore */ }
    ta.remove();
  }
  toast('已复制');
}

let toastTimer = 0;
function toast(text) {
  el.toast.textContent = text;
  el.toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.toast.hidden = true; }, 1600);
}

/* ------------------------------------------------------------------ wiring */

el.select.addEventListener('change', () => switchPersona(el.select.value));
el.back.addEventListener('click', () => {
  if (history.state?.linli === 'chat') history.back();
  else showList();
});
window.addEventListener('popstate', (e) => {
  if (e.state?.linli === 'chat' && state.current) openConversation(state.current);
  else if (state.screen === 'chat') showList();
});

el.composer.addEventListener('submit', (e) => {
  e.preventDefault();
  submitComposer();
});
el.input.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter' || e.shiftKey) return;
  if (e.isComposing || e.keyCode === 229) return; // IME: Enter picks the candidate
  e.preventDefault();
  submitComposer();
});
el.input.addEventListener('input', () => {
  updateSendState();
  if (state.current) {
    if (el.input.value.trim()) state.drafts.set(state.current, el.input.value);
    else state.drafts.delete(state.current);
  }
});
el.input.addEventListener('focus', () => {
  // On phones the keyboard shrinks the view; keep the latest message in sight.
  if (nearBottom()) setTimeout(scrollToBottom, 250);
});
// Keep the keyboard up when tapping 发送 / @ on a phone.
for (const b of [el.send, el.at]) b.addEventListener('pointerdown', (e) => { if (document.activeElement === el.input) e.preventDefault(); });
el.at.addEventListener('click', insertAt);
el.quoteClose.addEventListener('click', () => { setReplyTarget(null); el.input.focus(); });
el.newPill.addEventListener('click', () => {
  el.messages.scrollTo({ top: el.messages.scrollHeight, behavior: 'smooth' });
  hideNewPill();
});
el.retry.addEventListener('click', boot);

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible' || !state.me) return;
  if (!state.es || state.es.readyState === EventSource.CLOSED) openStream();
  else if (state.current) ensureLoaded(state.current, true);
  if (state.current && chatIsVisible(state.current)) markRead(state.current);
  scheduleListRender();
});

// iOS Safari does not shrink the layout for the keyboard: follow the visual viewport.
if (window.visualViewport) {
  const vv = window.visualViewport;
  const fit = () => {
    if (window.innerWidth >= 560) {
      el.app.style.height = '';
      return;
    }
    const keep = nearBottom();
    el.app.style.height = `${Math.round(vv.height)}px`;
    window.scrollTo(0, 0);
    if (keep) scrollToBottom();
  };
  vv.addEventListener('resize', fit);
}

// Relative times ("昨天") go stale past midnight; repaint the list now and then.
setInterval(() => { if (state.screen === 'list') renderList(); }, 60000);

moveChip('list');
boot();

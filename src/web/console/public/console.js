// 邻里社区工作台: small progressive enhancements. Every page works without this file.
(() => {
  'use strict';
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  function paintProgress(root = document) {
    for (const el of $$('.progress [data-w]', root)) el.style.width = `${Math.max(0, Math.min(100, Number(el.dataset.w) || 0))}%`;
  }

  // Tick all / count the ticked / highlight the ticked rows.
  function wireSelection(form) {
    const all = form.querySelector('[data-select-all]');
    const boxes = () => $$('tbody input[type=checkbox]', form);
    const counter = form.querySelector('[data-selected-count]');
    const hint = counter ? counter.textContent : '';
    const update = () => {
      const ticked = boxes().filter((b) => b.checked);
      for (const b of boxes()) b.closest('tr')?.classList.toggle('selected', b.checked);
      if (counter) counter.textContent = ticked.length ? `${document.documentElement.lang === 'en' ? 'Selected' : '已选'} ${ticked.length}` : hint;
      if (all) all.checked = ticked.length > 0 && ticked.length === boxes().length;
    };
    all?.addEventListener('change', () => {
      for (const b of boxes()) b.checked = all.checked;
      update();
    });
    form.addEventListener('change', (e) => {
      if (e.target instanceof HTMLInputElement && e.target.type === 'checkbox' && e.target !== all) update();
      // Choosing which need to keep ticks it too.
      if (e.target instanceof HTMLInputElement && e.target.type === 'radio' && e.target.name === 'into') {
        const box = e.target.closest('tr')?.querySelector('input[type=checkbox]');
        if (box) box.checked = true;
        update();
      }
    });
    update();
  }
  for (const form of $$('form')) if (form.querySelector('[data-select-all]')) wireSelection(form);

  // Confirm before destructive submits: on a form, or on the button that submits it.
  document.addEventListener('submit', (e) => {
    const form = e.target;
    const button = e.submitter;
    const text = button?.dataset.confirm || form.dataset.confirm;
    if (text && !window.confirm(text)) e.preventDefault();
  });

  for (const sel of $$('select[data-autosubmit]')) sel.addEventListener('change', () => sel.form?.submit());

  for (const btn of $$('[data-add-shift]')) {
    btn.addEventListener('click', () => {
      const form = btn.closest('form');
      const tpl = form?.querySelector('template[data-shift-template]');
      const rows = form?.querySelector('[data-shift-rows]');
      if (tpl && rows) rows.appendChild(tpl.content.cloneNode(true));
    });
  }

  for (const btn of $$('[data-print]')) btn.addEventListener('click', () => window.print());

  // Sections that follow the server while something runs (a broadcast being sent).
  for (const section of $$('[data-refresh]')) {
    const every = Math.max(2000, Number(section.dataset.refresh) || 5000);
    let busy = false;
    const tick = async () => {
      if (document.hidden || busy || section.contains(document.activeElement)) return;
      if (!section.querySelector('[data-status="scheduled"], [data-status="running"], [data-status="pending"]')) return;
      busy = true;
      try {
        const res = await fetch(location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
        if (res.ok) {
          const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
          const fresh = doc.getElementById(section.id);
          if (fresh) {
            section.replaceChildren(...Array.from(fresh.childNodes).map((n) => document.importNode(n, true)));
            paintProgress(section);
          }
        }
      } catch {
        /* try again next time */
      } finally {
        busy = false;
      }
    };
    setInterval(tick, every);
  }

  // The check-in screen: a new code (and QR) as soon as the current one rotates.
  const checkin = document.querySelector('[data-checkin]');
  if (checkin) {
    const url = checkin.dataset.checkin;
    let rotates = Number(checkin.dataset.rotates) || 0;
    const img = checkin.querySelector('[data-checkin-qr]');
    const code = checkin.querySelector('[data-checkin-code]');
    const label = checkin.querySelector('[data-checkin-label]');
    const time = checkin.querySelector('[data-checkin-time]');
    const countdown = checkin.querySelector('[data-checkin-countdown]');
    const load = async () => {
      try {
        const res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
        if (!res.ok) return;
        const x = await res.json();
        if (typeof x.qr === 'string' && x.qr.startsWith('data:image/svg+xml;base64,')) img.src = x.qr;
        img.alt = String(x.message || '');
        code.textContent = String(x.code || '');
        if (label) label.textContent = String(x.label || '');
        if (time) time.textContent = String(x.time || '');
        const closed = checkin.querySelector('[data-checkin-closed]');
        if (closed && x.open) closed.remove();
        rotates = Number(x.rotatesAt) || rotates;
      } catch {
        /* keep showing the last code; it stays valid one more period */
      }
    };
    setInterval(() => {
      const left = Math.max(0, Math.round((rotates - Date.now()) / 1000));
      if (countdown) countdown.textContent = `(${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')})`;
      if (Date.now() >= rotates + 500) {
        rotates = Date.now() + 5000; // until the new answer arrives
        load();
      }
    }, 1000);
    checkin.querySelector('[data-fullscreen]')?.addEventListener('click', () => document.documentElement.requestFullscreen?.());
  }

  paintProgress();
})();

// Rumbo's own script. No inline scripts anywhere: the CSP forbids them.
// Everything hangs off data- attributes, so pages swapped in by htmx work too.
(() => {
  "use strict";

  const lang = () => document.documentElement.lang || "en";

  // ---- Lookups: type to search, pick, post an id -------------------------
  // <div data-lookup="/lookup/customer/" data-lookup-depends="customer">
  //   <input type="hidden" data-lookup-value> <input type="search" data-lookup-search>
  //   <ul data-lookup-options></ul></div>
  function initLookup(box) {
    if (box.dataset.lookupReady) return;
    box.dataset.lookupReady = "1";
    const hidden = box.querySelector("[data-lookup-value]");
    const search = box.querySelector("[data-lookup-search]");
    const menu = box.querySelector("[data-lookup-options]");
    let timer = null;
    let active = -1;
    let controller = null;

    const dependency = () => {
      const name = box.dataset.lookupDepends;
      const form = box.closest("form");
      if (!name || !form) return null;
      return form.querySelector(`[data-lookup-value][name="${name}"], [name="${name}"]`);
    };
    const close = () => {
      menu.classList.remove("show");
      search.setAttribute("aria-expanded", "false");
      active = -1;
    };
    const setValue = (id, label) => {
      const changed = hidden.value !== String(id);
      hidden.value = id;
      search.value = label;
      search.dataset.lookupLabel = label;
      close();
      if (changed) hidden.dispatchEvent(new Event("change", { bubbles: true }));
    };
    const item = (text, cls) => {
      const li = document.createElement("li");
      const span = document.createElement("span");
      span.className = `dropdown-item-text small ${cls}`;
      span.textContent = text;
      li.appendChild(span);
      return li;
    };
    const render = (data) => {
      menu.replaceChildren();
      data.results.forEach((row, index) => {
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "dropdown-item";
        button.setAttribute("role", "option");
        button.id = `${search.id || "lookup"}_opt${index}`;
        button.dataset.id = row.id;
        button.dataset.label = row.label;
        const strong = document.createElement("div");
        strong.textContent = row.label;
        button.appendChild(strong);
        if (row.hint) {
          const hint = document.createElement("div");
          hint.className = "small text-muted";
          hint.textContent = row.hint;
          button.appendChild(hint);
        }
        button.addEventListener("mousedown", (event) => event.preventDefault());
        button.addEventListener("click", () => setValue(row.id, row.label));
        li.appendChild(button);
        menu.appendChild(li);
      });
      if (!data.results.length) menu.appendChild(item(box.dataset.empty || "—", "text-muted"));
      if (data.more) menu.appendChild(item(box.dataset.more || "…", "text-muted"));
      menu.classList.add("show");
      search.setAttribute("aria-expanded", "true");
      active = -1;
    };
    const fetchOptions = () => {
      const query = search.value.trim();
      const params = new URLSearchParams({ q: query });
      const dep = dependency();
      if (dep && dep.value) params.set(box.dataset.lookupDepends, dep.value);
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(`${box.dataset.lookup}?${params}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      })
        .then((response) => (response.ok ? response.json() : { results: [], more: false }))
        .then((data) => {
          // An answer to an older query (the box changed meanwhile) is dropped.
          if (query === search.value.trim()) render(data);
        })
        .catch(() => {});
    };
    const options = () => Array.from(menu.querySelectorAll("[role=option]"));
    const highlight = (index) => {
      const all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach((el, i) => el.classList.toggle("active", i === active));
      search.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    };

    search.addEventListener("input", () => {
      if (hidden.value && search.value !== search.dataset.lookupLabel) {
        hidden.value = "";
        search.dataset.lookupLabel = "";
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
      }
      // Stale matches go at once, so Enter never picks from an older search.
      menu.replaceChildren();
      close();
      if (controller) controller.abort();
      clearTimeout(timer);
      timer = setTimeout(fetchOptions, 200);
    });
    search.addEventListener("focus", () => {
      if (!hidden.value) fetchOptions();
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!menu.classList.contains("show")) fetchOptions();
        else highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter" && menu.classList.contains("show")) {
        event.preventDefault();
        const chosen = options()[active >= 0 ? active : 0];
        if (chosen) setValue(chosen.dataset.id, chosen.dataset.label);
      } else if (event.key === "Escape") {
        close();
      }
    });
    // The search box's own change must not submit a filter form: only a pick counts.
    search.addEventListener("change", (event) => event.stopPropagation());
    search.addEventListener("blur", () => {
      setTimeout(close, 150);
      if (!hidden.value) search.value = "";
    });
  }

  // A customer change clears a deal lookup that depends on it.
  function watchDependants(root) {
    root.querySelectorAll("[data-lookup-depends]").forEach((box) => {
      const form = box.closest("form");
      if (!form || box.dataset.dependsReady) return;
      box.dataset.dependsReady = "1";
      form.addEventListener("change", (event) => {
        if (event.target.name !== box.dataset.lookupDepends) return;
        const hidden = box.querySelector("[data-lookup-value]");
        const search = box.querySelector("[data-lookup-search]");
        if (hidden.value) {
          hidden.value = "";
          search.value = "";
          search.dataset.lookupLabel = "";
        }
      });
    });
  }

  // ---- Fields shown only for some values of another field ------------------
  // <select data-show-when="outcome=lost"> hides its field unless outcome is lost.
  function showWhen(root) {
    root.querySelectorAll("[data-show-when]").forEach((input) => {
      const form = input.form;
      if (!form || input.dataset.showReady) return;
      input.dataset.showReady = "1";
      const [name, values] = input.dataset.showWhen.split("=");
      const wanted = values.split("|");
      const wrapper = input.closest("[data-field]") || input;
      const update = () => {
        const source = form.elements.namedItem(name);
        const visible = source && wanted.includes(source.value);
        wrapper.classList.toggle("d-none", !visible);
      };
      form.addEventListener("change", (event) => {
        if (event.target.name === name) update();
      });
      update();
    });
  }

  // ---- Formsets: add and remove rows, live line totals -----------------------
  // <div data-formset="lines"> management form, <tbody data-formset-body>,
  // <template data-formset-template>, <button data-formset-add>
  function money(value, currency) {
    try {
      return new Intl.NumberFormat(lang(), { style: "currency", currency }).format(value);
    } catch (error) {
      return value.toFixed(2);
    }
  }

  function initFormset(box) {
    if (box.dataset.formsetReady) return;
    box.dataset.formsetReady = "1";
    const prefix = box.dataset.formset;
    const total = box.querySelector(`[name="${prefix}-TOTAL_FORMS"]`);
    const body = box.querySelector("[data-formset-body]");
    const template = box.querySelector("template[data-formset-template]");
    const form = box.closest("form");
    const amount = form && form.elements.namedItem("amount");
    const currencyField = form && form.elements.namedItem("currency");

    const rows = () => Array.from(body.querySelectorAll("[data-formset-row]"));
    const liveRows = () => rows().filter((row) => !row.classList.contains("d-none"));
    const num = (input) => {
      const value = parseFloat((input && input.value) || "");
      return Number.isFinite(value) ? value : 0;
    };
    const recompute = () => {
      const currency = (currencyField && currencyField.value) || box.dataset.currency || "EUR";
      let sum = 0;
      let counted = 0;
      liveRows().forEach((row) => {
        const product = row.querySelector("select[name$='-product']");
        const qty = row.querySelector("[name$='-quantity']");
        const price = row.querySelector("[name$='-unit_price']");
        const line = Math.round(num(qty) * num(price) * 100) / 100;
        const cell = row.querySelector("[data-line-total]");
        if (cell) cell.textContent = product && product.value ? money(line, currency) : "—";
        if (product && product.value) {
          sum += line;
          counted += 1;
        }
      });
      const out = box.querySelector("[data-lines-total]");
      if (out) out.textContent = counted ? money(sum, currency) : "—";
      if (amount) {
        amount.readOnly = counted > 0;
        if (counted > 0) amount.value = sum.toFixed(2);
        const note = form.querySelector("[data-amount-note]");
        if (note) note.classList.toggle("d-none", counted === 0);
      }
      const empty = box.querySelector("[data-formset-empty]");
      if (empty) empty.classList.toggle("d-none", liveRows().length > 0);
    };

    box.querySelector("[data-formset-add]").addEventListener("click", () => {
      const index = parseInt(total.value, 10);
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const added = rows()[rows().length - 1];
      const first = added && added.querySelector("select, input:not([type=hidden])");
      if (first) first.focus();
      recompute();
    });
    body.addEventListener("click", (event) => {
      const button = event.target.closest("[data-formset-remove]");
      if (!button) return;
      const row = button.closest("[data-formset-row]");
      const del = row.querySelector("input[name$='-DELETE']");
      if (del) del.checked = true;
      row.classList.add("d-none");
      recompute();
    });
    body.addEventListener("change", (event) => {
      const select = event.target.closest("select[name$='-product']");
      if (select) {
        const row = select.closest("[data-formset-row]");
        const price = row.querySelector("[name$='-unit_price']");
        const qty = row.querySelector("[name$='-quantity']");
        const option = select.selectedOptions[0];
        if (price && !price.value && option && option.dataset.price) price.value = option.dataset.price;
        if (qty && !qty.value && select.value) qty.value = "1";
      }
      recompute();
    });
    body.addEventListener("input", recompute);
    if (currencyField) currencyField.addEventListener("change", recompute);
    recompute();
  }

  function init(root) {
    root.querySelectorAll("[data-lookup]").forEach(initLookup);
    root.querySelectorAll("[data-formset]").forEach(initFormset);
    watchDependants(root);
    showWhen(root);
  }

  document.addEventListener("DOMContentLoaded", () => {
    // Buttons that ask before a destructive action: <button data-confirm="...">
    document.body.addEventListener("click", (event) => {
      const target = event.target.closest("[data-confirm]");
      if (target && !window.confirm(target.dataset.confirm)) {
        event.preventDefault();
      }
    });
    // Copy a shown-once API token to the clipboard.
    document.querySelectorAll("[data-copy]").forEach((button) => {
      button.addEventListener("click", () => {
        const source = document.getElementById(button.dataset.copy);
        if (source && navigator.clipboard) navigator.clipboard.writeText(source.value || source.textContent);
      });
    });
    init(document);
    document.body.addEventListener("htmx:afterSettle", (event) => init(event.target));
    // Filter forms send only the filters in use, so shared links stay short.
    document.body.addEventListener("htmx:configRequest", (event) => {
      const elt = event.detail.elt;
      if (!elt || !elt.matches || !elt.matches("form.filters")) return;
      const params = event.detail.parameters;
      const keys = typeof params.keys === "function" ? Array.from(params.keys()) : Object.keys(params);
      keys.forEach((key) => {
        const value = typeof params.get === "function" ? params.get(key) : params[key];
        if (value === "" || value === "unknown") {
          if (typeof params.delete === "function") params.delete(key);
          else delete params[key];
        }
      });
    });
  });
})();

/* Data Docs without a network.
 *
 * Great Expectations' pages load jQuery, Bootstrap and bootstrap-table from CDNs; offline
 * (a locked-down laptop, a CI runner, a warehouse host without internet) the index is an
 * empty list. This file does, with the plain DOM, the few things those pages ask of
 * them: fill a table from its rows, switch tabs, open a collapsed section, show and hide
 * passed validations. Any other jQuery call GX makes is a harmless no-op.
 */
(function () {
  "use strict";

  function textOf(html) {
    const div = document.createElement("div");
    div.innerHTML = html == null ? "" : String(html);
    return div.textContent.trim();
  }

  function sortKey(row, column) {
    const value = row[column.sortName || column.field];
    return typeof value === "number" ? value : textOf(value).toLowerCase();
  }

  function fillTable(table, options) {
    const columns = options.columns || [];
    const rows = (options.data || []).slice();
    const state = { by: null, descending: false, filter: "" };
    const first = columns.find((c) => c.field === options.sortName);
    if (first) {
      state.by = first;
      state.descending = options.sortOrder === "desc";
    }
    const search = document.createElement("input");
    search.type = "search";
    search.placeholder = "Search";
    search.className = "offline-search";
    search.addEventListener("input", () => {
      state.filter = search.value.toLowerCase();
      draw();
    });
    table.parentNode.insertBefore(search, table);
    table.classList.add("table");

    function draw() {
      let shown = rows.filter(
        (row) => !state.filter || columns.some((c) => textOf(row[c.field]).toLowerCase().includes(state.filter))
      );
      if (state.by) {
        const sign = state.descending ? -1 : 1;
        shown = shown.sort((a, b) => {
          const x = sortKey(a, state.by);
          const y = sortKey(b, state.by);
          return x < y ? -sign : x > y ? sign : 0;
        });
      }
      const head = document.createElement("thead");
      const headRow = head.insertRow();
      columns.forEach((column) => {
        const th = document.createElement("th");
        th.textContent = column.title || "";
        if (column.sortable) {
          th.className = "sortable";
          th.addEventListener("click", () => {
            state.descending = state.by === column ? !state.descending : false;
            state.by = column;
            draw();
          });
        }
        headRow.appendChild(th);
      });
      const body = document.createElement("tbody");
      shown.forEach((row) => {
        const tr = body.insertRow();
        columns.forEach((column) => {
          tr.insertCell().innerHTML = row[column.field] == null ? "" : row[column.field];
        });
        if (row._table_row_link_path) {
          tr.className = "clickable-row";
          tr.addEventListener("click", (event) => {
            if (!event.target.closest("a")) window.location = row._table_row_link_path;
          });
        }
      });
      table.replaceChildren(head, body);
      table.dataset.rows = String(shown.length);
    }
    draw();
  }

  function setShown(elements, shown) {
    elements.forEach((el) => {
      if (el.style) el.style.display = shown ? "" : "none";
    });
  }

  const methods = {
    bootstrapTable(elements, options) {
      if (options && typeof options === "object") elements.forEach((t) => fillTable(t, options));
    },
    addClass(elements, name) {
      elements.forEach((el) => el.classList && el.classList.add(name));
    },
    removeClass(elements, name) {
      elements.forEach((el) => el.classList && el.classList.remove(name));
    },
    fadeIn(elements) {
      setShown(elements, true);
    },
    fadeOut(elements) {
      setShown(elements, false);
    },
    each(elements, callback) {
      elements.forEach((el, index) => callback(index, el));
    },
    ready(elements, callback) {
      whenReady(callback);
    },
  };

  function whenReady(callback) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", callback);
    else callback();
  }

  function wrap(elements) {
    return new Proxy(elements, {
      get(target, name) {
        if (name === "length") return target.length;
        if (name === "parent") return () => wrap([...new Set(target.map((el) => el.parentNode).filter(Boolean))]);
        if (name === "data") return (key) => target[0] && target[0].dataset[key];
        if (name in methods) return (...args) => (methods[name](target, ...args), wrap(target));
        return () => wrap(target); // .on, .modal, .tooltip …: nothing to do offline
      },
    });
  }

  function $(what) {
    if (typeof what === "function") {
      whenReady(what);
      return wrap([]);
    }
    if (typeof what === "string") return wrap(Array.from(document.querySelectorAll(what)));
    return wrap(what ? [what] : []);
  }
  window.$ = window.jQuery = $;

  // Bootstrap's data-toggle behaviours: tabs and collapsed sections
  document.addEventListener("click", (event) => {
    const toggle = event.target.closest("[data-toggle=tab], [data-toggle=collapse]");
    if (!toggle) return;
    event.preventDefault();
    const target = document.querySelector(toggle.getAttribute("data-target") || toggle.getAttribute("href"));
    if (!target) return;
    if (toggle.dataset.toggle === "collapse") {
      target.classList.toggle("show");
      return;
    }
    const nav = toggle.closest(".nav");
    if (nav) nav.querySelectorAll(".nav-link").forEach((link) => link.classList.remove("active"));
    toggle.classList.add("active");
    Array.from(target.parentNode.children).forEach((pane) => pane.classList.remove("active", "show"));
    target.classList.add("active", "show");
  });
})();

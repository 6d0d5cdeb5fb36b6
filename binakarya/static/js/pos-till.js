// The till (backoffice/pos_till.html): the change due, shown as the cash received is typed. Scanning a hang
// tag is tag-scan.js's. Without JavaScript the change is shown on the receipt.
(() => {
  // "Rp1.250.000": integer rupiah, dots group thousands.
  const rupiah = (value) => "Rp" + String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const showChange = () => {
    const form = document.querySelector("[data-pay-form]");
    const totalEl = document.querySelector("[data-total]");
    if (!form || !totalEl) return;
    const line = form.querySelector("[data-change-line]");
    const cash = form.querySelector("input[name=cash_received_idr]");
    const method = form.querySelector("input[name=payment_method]:checked");
    const typed = cash ? cash.value.replace(/\D/g, "") : "";
    const change = typed ? Number(typed) - Number(totalEl.dataset.total) : -1;
    const isCash = !method || method.value === "CASH";
    line.hidden = !(isCash && change >= 0);
    if (!line.hidden) line.querySelector("[data-change]").textContent = rupiah(change);
  };

  document.addEventListener("input", showChange);
  document.addEventListener("change", showChange);
  document.addEventListener("htmx:afterSwap", showChange);
  showChange();
})();

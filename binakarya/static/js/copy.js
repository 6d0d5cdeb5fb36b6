// Payment instructions: a "Copy" button next to an account number or an amount puts its value on the
// clipboard and says so for a moment. Without JavaScript (or a clipboard) the buttons stay hidden.
(() => {
  "use strict";
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy);
        button.textContent = button.dataset.copied || label;
      } catch {
        return;
      }
      window.setTimeout(() => { button.textContent = label; }, 2000);
    });
  }
})();

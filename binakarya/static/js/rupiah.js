// Rupiah fields (input[data-rupiah]) show the amount as Rp15.000 while it is typed.
// Only digits, spaces and "Rp" are reformatted as they are typed: anything else (a dot typed or pasted, a comma, a
// letter) is left as typed (dots that group digits in threes are formatted on leaving the field), so the
// server can say what is wrong with it instead of the amount being changed silently. Without this script the
// server reads 15000, 15.000, Rp15.000 and Rp 15.000 all the same.
(() => {
  "use strict";

  // Digits, dots and spaces, after "Rp" or what is left of it while it is being edited ("R", "p").
  const READABLE = /^\s*(?:r?p?\.?)?[\s0-9.]*$/i;
  // Dots that group digits in threes, as the server reads them: "15.000", "Rp 1.250.000".
  const WELL_GROUPED = /^\s*(?:rp\.?\s*)?\d{1,3}(?:\.\d{3})*\s*$/i;
  const previous = new WeakMap();
  // Fields whose dots the person typed or pasted: they are left as typed (regrouping "15.00" would silently
  // make it Rp1.500), and formatted on leaving the field only when the dots already group in threes.
  const ownDots = new WeakSet();

  const group = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");

  const format = (digits) => {
    const trimmed = digits.replace(/^0+(?=\d)/, "");
    return trimmed ? "Rp" + group(trimmed) : "";
  };

  // How many digits stand before position `pos` of `text`.
  const digitsBefore = (text, pos) => text.slice(0, pos).replace(/\D/g, "").length;

  // The position just after the `count`-th digit of `text` (just after "Rp" when count is 0).
  const positionAfterDigits = (text, count) => {
    if (count === 0) return Math.min(2, text.length);
    let seen = 0;
    for (let i = 0; i < text.length; i += 1) {
      if (/\d/.test(text[i])) {
        seen += 1;
        if (seen === count) return i + 1;
      }
    }
    return text.length;
  };

  const reformat = (input, event) => {
    const value = input.value;
    const amount = value.replace(/^\s*rp\.?/i, "");
    if (!amount.includes(".")) {
      ownDots.delete(input);
    } else if (event && (event.inputType.startsWith("insertFrom") || (event.data || "").includes("."))) {
      ownDots.add(input);
    }
    if (ownDots.has(input) || !READABLE.test(value)) {
      previous.set(input, value);
      return;
    }
    let digits = value.replace(/\D/g, "");
    let caret = digitsBefore(value, input.selectionStart ?? value.length);
    const before = previous.get(input);
    // Deleting a dot (or the "Rp") deletes nothing a person reads: delete the digit next to it instead.
    if (before !== undefined && before.replace(/\D/g, "") === digits && before.length > value.length) {
      if (event && event.inputType === "deleteContentBackward" && caret > 0) {
        digits = digits.slice(0, caret - 1) + digits.slice(caret);
        caret -= 1;
      } else if (event && event.inputType === "deleteContentForward") {
        digits = digits.slice(0, caret) + digits.slice(caret + 1);
      }
    }
    if (!digits) {
      // Nothing to format yet ("Rp" typed by hand, or every digit deleted): leave it as it is.
      previous.set(input, value);
      return;
    }
    const leadingZeros = digits.length - digits.replace(/^0+(?=\d)/, "").length;
    const formatted = format(digits);
    caret = Math.max(0, caret - leadingZeros);
    previous.set(input, formatted);
    if (formatted === value) return;
    input.value = formatted;
    if (document.activeElement === input) {
      const pos = positionAfterDigits(formatted, caret);
      input.setSelectionRange(pos, pos);
    }
  };

  document.addEventListener("input", (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.hasAttribute("data-rupiah")) {
      reformat(input, event);
    }
  });

  // Dots the person typed are formatted on leaving the field, when they group digits in threes.
  document.addEventListener("focusout", (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.hasAttribute("data-rupiah") && ownDots.has(input)) {
      if (WELL_GROUPED.test(input.value)) {
        ownDots.delete(input);
        input.value = format(input.value.replace(/\D/g, ""));
      }
      previous.set(input, input.value);
    }
  });

  // Remember each field's value as it gains focus, so that deleting a dot can be told from deleting a digit.
  document.addEventListener("focusin", (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.hasAttribute("data-rupiah")) {
      previous.set(input, input.value);
    }
  });
})();

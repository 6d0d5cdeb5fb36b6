// Product cards below the first row carry data-src/data-srcset instead of src/srcset: this fetches
// each image when it comes within 300 px of the viewport. Chromium's own loading="lazy"
// looks 2,500 px ahead on a slow network, which on a phone is the whole catalog page. Without
// JavaScript the <noscript> copy of each image is shown instead (site.css hides the empty one).
(() => {
  "use strict";
  const show = (img) => {
    if (img.dataset.srcset) img.srcset = img.dataset.srcset;
    img.src = img.dataset.src;
    img.removeAttribute("data-src");
  };
  const observer =
    "IntersectionObserver" in window
      ? new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              if (entry.isIntersecting) {
                observer.unobserve(entry.target);
                show(entry.target);
              }
            }
          },
          { rootMargin: "300px 0px" },
        )
      : null;
  const scan = () => {
    for (const img of document.querySelectorAll("img[data-src]")) {
      if (observer) observer.observe(img);
      else show(img);
    }
  };
  scan();
  // The catalog swaps its results in with htmx: watch the new cards too.
  document.addEventListener("htmx:afterSettle", scan);
})();

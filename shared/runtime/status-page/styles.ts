/**
 * The page's only style sheet. Colours meet WCAG AA contrast (4.5:1) on white; layout is one
 * column that fits a phone, tables scroll sideways inside their own box instead of the page.
 */
export const STATUS_PAGE_CSS = `
*{box-sizing:border-box}
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1b1b;background:#fff}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem;border-bottom:1px solid #c8c8c8}
h1{font-size:1.5rem;margin:.2rem 0}
h2{font-size:1.2rem;margin:1.6rem 0 .5rem}
h3{font-size:1rem;margin:1rem 0 .3rem}
.facts{display:flex;flex-wrap:wrap;gap:.3rem 1.5rem;margin:.4rem 0 .8rem;padding:0;list-style:none}
.scroll{overflow-x:auto;max-width:100%}
.scroll:focus{outline:2px solid #0b57d0}
table{border-collapse:collapse;min-width:100%;font-size:.95rem}
th,td{border-bottom:1px solid #d6d6d6;padding:.35rem .6rem;text-align:left;vertical-align:top}
th{background:#f1f3f4}
.badge{display:inline-block;padding:0 .4rem;border-radius:.3rem;font-weight:600}
.ok{background:#e6f4ea;color:#0d5223}
.warn{background:#fef7e0;color:#6b4400}
.bad{background:#fce8e6;color:#8c1d18}
.notice{border-left:4px solid #0b57d0;background:#e8f0fe;padding:.5rem .8rem;margin:1rem 0}
.notice.bad{border-color:#b3261e}
.muted{color:#4d4d4d}
button{font:inherit;padding:.45rem .9rem;border-radius:.3rem;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}
a{color:#0b57d0}
code{background:#f1f3f4;padding:0 .2rem}
footer{margin-top:2rem;padding-bottom:2rem;border-top:1px solid #c8c8c8}
`;

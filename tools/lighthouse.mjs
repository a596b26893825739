// Lighthouse on a list of pages in one Debian Chromium, printing one JSON line per page:
// its category scores and the audits that lost points. Used by tests/test_lighthouse.py.
//   node tools/lighthouse.mjs --categories accessibility,best-practices,seo URL...
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const args = process.argv.slice(2);
let categories = ["performance", "accessibility", "best-practices", "seo"];
const at = args.indexOf("--categories");
if (at >= 0) categories = args.splice(at, 2)[1].split(",");

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  // The flags this machine needs: no sandbox as root, and no background calls to Google's hosts.
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync"],
});
try {
  for (const url of args) {
    const { lhr } = await lighthouse(url, { port: chrome.port, logLevel: "error", onlyCategories: categories });
    const scores = Object.fromEntries(Object.entries(lhr.categories).map(([k, v]) => [k, v.score]));
    const lost = [];
    for (const [name, cat] of Object.entries(lhr.categories)) {
      for (const ref of cat.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          lost.push(`${name}: ${ref.id} (${audit.displayValue || audit.score})`);
        }
      }
    }
    const cls = lhr.audits["cumulative-layout-shift"]?.numericValue ?? null;
    console.log(JSON.stringify({ url, scores, lost, cls, runtimeError: lhr.runtimeError?.message ?? null }));
  }
} finally {
  await chrome.kill();
}

// The Retry Lab's page in the workbench, for the UI tests: VS Code puts a webview view's page
// in a frame inside the view's iframe.

export function retryLabFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Clicks the Retry Lab icon in the activity bar and waits for the page and its first state from the extension. */
export async function openRetryLab(page) {
  await page.locator('.activitybar .action-item a[aria-label^="Retry Lab"]').click();
  const lab = retryLabFrame(page);
  await lab.locator('body[data-ready="true"] #send').waitFor();
  return lab;
}

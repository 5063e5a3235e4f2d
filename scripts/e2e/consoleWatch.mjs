// Collects the browser console's warnings and errors that concern this plugin or React's DOM
// nesting, so a journey can fail on them: deprecation warnings naming a devsecops extension,
// "<div> cannot appear as a descendant of <p>", any error logged from the plugin's code.

const CONCERNS = /devsecops|validateDOMNesting|cannot appear as a descendant|cannot be a descendant|cannot contain a nested/i;

/** Starts watching a page; returns { messages, assertNone(where) }. */
export function watchConsole(page) {
  const messages = [];
  page.on('console', message => {
    const type = message.type();
    if (type !== 'warning' && type !== 'error') return;
    const text = message.text();
    if (CONCERNS.test(text)) messages.push(`${type}: ${text.slice(0, 400)}`);
  });
  return {
    messages,
    assertNone(where) {
      if (messages.length > 0) {
        throw new Error(
          `${where}: ${messages.length} console warning(s)/error(s) from the plugin or DOM nesting:\n${messages.join('\n')}`,
        );
      }
    },
  };
}

export const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'mobile', width: 390, height: 844 },
];

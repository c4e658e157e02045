/**
 * Ends the current task: the browser paints and handles input before the code after `await nextTask()` runs. Work
 * at start-up is cut this way into tasks short enough not to block a phone's main thread.
 */
export const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The two sizes every admin screen is checked at (axe and the journey itself). */
export const screenSizes = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

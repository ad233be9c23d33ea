/** The UI scenarios, in the order they run. */
import type { UiScenario } from '../harness/ui-scenario';

export const uiScenarios: readonly UiScenario[] = [];

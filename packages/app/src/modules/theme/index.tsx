import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { ThemeBlueprint } from '@backstage/plugin-app-react';
import {
  createUnifiedTheme,
  palettes,
  UnifiedThemeProvider,
} from '@backstage/theme';
import LightIcon from '@material-ui/icons/WbSunny';

/**
 * Backstage's light theme with WCAG AA text on coloured components. MUI picks white or black
 * text for a filled colour (chips, contained buttons, filled alerts) by a contrast threshold of
 * 3; at 4.5 (the WCAG AA ratio for normal text) the default warning orange (#ed6c02, 3.1:1 with
 * white) and info blue (#0288d1, 4.0:1) get dark text instead. Found by the e2e axe check
 * (color-contrast on the Security tab's "high" and "requested" chips). The dark theme's
 * colours already get dark text, so it stays Backstage's.
 */
export const accessibleLightTheme = createUnifiedTheme({
  palette: { ...palettes.light, contrastThreshold: 4.5 },
});

const lightTheme = ThemeBlueprint.make({
  // Same name as the app plugin's light theme, which this module replaces.
  name: 'light',
  params: {
    theme: {
      id: 'light',
      title: 'Light Theme',
      variant: 'light',
      icon: <LightIcon />,
      Provider: ({ children }) => (
        <UnifiedThemeProvider
          theme={accessibleLightTheme}
          children={children}
        />
      ),
    },
  },
});

export const themeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [lightTheme],
});

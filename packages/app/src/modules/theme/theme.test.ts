import { getContrastRatio } from '@material-ui/core/styles';
import { accessibleLightTheme } from './index';

describe('accessibleLightTheme', () => {
  it.each(['v4', 'v5'] as const)(
    'gives every status colour text with at least the WCAG AA ratio of 4.5 (%s)',
    version => {
      const palette = accessibleLightTheme.getTheme(version)!.palette as any;
      for (const colour of [
        'primary',
        'secondary',
        'error',
        'warning',
        'info',
        'success',
      ]) {
        const { main, contrastText } = palette[colour];
        expect({
          colour,
          ok: getContrastRatio(main, contrastText) >= 4.5,
        }).toEqual({ colour, ok: true });
      }
    },
  );
});

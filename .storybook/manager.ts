import { addons } from 'storybook/manager-api';
import { create } from 'storybook/theming';

addons.setConfig({
  theme: create({
    base: 'light',
    brandTitle: 'react-coze-auth',
    colorPrimary: '#4d53e8',
    colorSecondary: '#4d53e8',
  }),
});

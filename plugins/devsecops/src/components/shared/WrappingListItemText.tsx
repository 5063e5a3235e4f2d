import ListItemText, { ListItemTextProps } from '@mui/material/ListItemText';

/**
 * A list item's text that wraps: the Backstage theme keeps list texts on one line with an
 * ellipsis, which cuts reasons and digests off — and the reason is the point of every line here.
 */
export function WrappingListItemText(props: ListItemTextProps) {
  return (
    <ListItemText
      {...props}
      sx={{ whiteSpace: 'normal', overflowWrap: 'anywhere', '& > *': { whiteSpace: 'normal' }, ...props.sx }}
    />
  );
}

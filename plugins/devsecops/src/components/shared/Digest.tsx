import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import { useState } from 'react';

/** `sha256:` and the first 12 hex digits: enough to recognise, short enough to read. */
export const shortDigest = (digest: string) => {
  const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['', digest];
  const head = hex.length > 12 ? `${hex.slice(0, 12)}…` : hex;
  return algorithm ? `${algorithm}:${head}` : head;
};

/** A digest shortened, the whole of it in the tooltip and one click from the clipboard. */
export function Digest({ value }: { value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <Tooltip title={value}>
        <code>{shortDigest(value)}</code>
      </Tooltip>
      <Tooltip title={copied ? 'Copied' : 'Copy the full digest'}>
        <IconButton
          size="small"
          aria-label={`Copy digest ${shortDigest(value)}`}
          sx={{ p: 0.25, ml: 0.25 }}
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
              setCopied(true);
            } catch {
              setCopied(false);
            }
          }}
        >
          <ContentCopyIcon sx={{ fontSize: 14 }} />
        </IconButton>
      </Tooltip>
    </span>
  );
}

import { Input } from 'antd';
import type { CSSProperties } from 'react';
import type { UrlPage } from './use-url-page';

interface Props {
  list: Pick<UrlPage<unknown>, 'search' | 'show'>;
  /** The box's accessible name, also its placeholder. */
  label: string;
  style?: CSSProperties;
}

/**
 * The search box over a useUrlPage list: it shows the URL's `q` (refilled on
 * back and forward) and starts a new search at page 1.
 */
export function UrlSearch({ list, label, style }: Props) {
  return (
    <Input.Search
      aria-label={label}
      placeholder={label}
      defaultValue={list.search}
      key={list.search}
      allowClear
      onSearch={(value) => list.show({ search: value.trim() })}
      style={style}
    />
  );
}

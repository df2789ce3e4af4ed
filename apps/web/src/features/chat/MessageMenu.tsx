import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';

export interface MenuAction {
  label: string;
  onSelect(): void;
  /** Drawn in the danger colour (Delete). */
  danger?: boolean;
}

interface MessageMenuProps {
  actions: MenuAction[];
  open: boolean;
  onOpenChange(open: boolean): void;
  /** The trigger, so the message can return focus to it after an inline edit or a dialog. */
  triggerRef: RefObject<HTMLButtonElement | null>;
  /** Which side of the trigger the menu aligns to: own messages sit on the right. */
  align: 'start' | 'end';
}

/**
 * The "More actions" button of a message and its menu (WAI-ARIA menu button pattern): the button
 * shows on hover and on focus; the menu takes focus on its first item, arrows and Home/End move,
 * Escape closes and gives focus back to the button, Tab or a click elsewhere closes it.
 */
export function MessageMenu({ actions, open, onOpenChange, triggerRef, align }: MessageMenuProps) {
  const menuId = useId();
  const menuRef = useRef<HTMLUListElement>(null);
  const [upward, setUpward] = useState(false);

  const items = () => [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];

  useLayoutEffect(() => {
    if (!open) return;
    // Near the bottom of the screen the menu opens upward, so it is never cut off.
    const top = triggerRef.current?.getBoundingClientRect().top ?? 0;
    setUpward(top > window.innerHeight / 2);
    items()[0]?.focus();
  }, [open, triggerRef]);

  useEffect(() => {
    if (!open) return;
    const closeOnOutside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !triggerRef.current?.contains(target)) onOpenChange(false);
    };
    document.addEventListener('pointerdown', closeOnOutside);
    return () => document.removeEventListener('pointerdown', closeOnOutside);
  }, [open, onOpenChange, triggerRef]);

  function close(returnFocus: boolean) {
    onOpenChange(false);
    if (returnFocus) triggerRef.current?.focus();
  }

  function handleMenuKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const all = items();
    const index = all.indexOf(document.activeElement as HTMLButtonElement);
    const moveTo = (next: number) => all[(next + all.length) % all.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        moveTo(index + 1);
        break;
      case 'ArrowUp':
        moveTo(index - 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(all.length - 1);
        break;
      case 'Escape':
        close(true);
        break;
      case 'Tab':
        close(false);
        return; // Tab moves on as usual.
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  return (
    <span className="message__actions">
      <button
        ref={triggerRef}
        type="button"
        className="message__more"
        aria-label="More actions"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => onOpenChange(!open)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            onOpenChange(true);
          }
        }}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open && (
        <ul
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label="Message actions"
          className={`menu menu--${align} ${upward ? 'menu--up' : ''}`}
          onKeyDown={handleMenuKeyDown}
        >
          {actions.map((action) => (
            <li key={action.label} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={`menu__item ${action.danger ? 'menu__item--danger' : ''}`}
                onClick={() => {
                  onOpenChange(false);
                  action.onSelect();
                }}
              >
                {action.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}

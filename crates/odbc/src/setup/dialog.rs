//! The DSN configuration dialog of Windows, opened by `ConfigDSN` when the caller gives a window
//! (the ODBC Data Source Administrator does). It is modal to that window: the data source name
//! above two tabs, Connection (the `AuthScheme` and the properties of that scheme) and Advanced
//! (every other property in [`KEYS`]), and the buttons Test Connection (connects with what is
//! typed and says who is signed in, or the error with its SQLSTATE), Sign in (OAuth: the desktop
//! sign-in, which stores the tokens in the settings file), OK (checks and saves with the
//! installer library) and Cancel. Secrets are typed in masked fields. Properties the dialog
//! does not show (tokens given by hand) are kept as they were.

use crate::conn;
use pipedrive_engine::arrow::util::display::{ArrayFormatter, FormatOptions};
use pipedrive_engine::setup::{
    installer, save_dsn, DsnRequest, Input, Key, Page, Scope, SetupError, SetupErrorCode as Code,
    KEYS,
};
use pipedrive_engine::Properties;
use std::cell::RefCell;
use std::ffi::c_void;
use windows_sys::Win32::Foundation::{HWND, LPARAM, LRESULT, WPARAM};
use windows_sys::Win32::Graphics::Gdi::{GetStockObject, SetBkMode, HDC};
use windows_sys::Win32::System::LibraryLoader::GetModuleHandleW;
use windows_sys::Win32::UI::Controls::{InitCommonControlsEx, INITCOMMONCONTROLSEX, TCITEMW};
use windows_sys::Win32::UI::Input::KeyboardAndMouse::{EnableWindow, SetFocus};
use windows_sys::Win32::UI::WindowsAndMessaging::*;

// window styles, messages and notifications (WinUser.h, CommCtrl.h)
const CHILD: u32 = 0x4000_0000 | 0x1000_0000; // WS_CHILD | WS_VISIBLE
const TABSTOP: u32 = 0x0001_0000;
const CLIP_SIBLINGS: u32 = 0x0400_0000;
const ES_AUTOHSCROLL: u32 = 0x0080;
const ES_PASSWORD: u32 = 0x0020;
const CBS_DROPDOWNLIST: u32 = 0x0003;
const WS_VSCROLL_STYLE: u32 = 0x0020_0000;
const BS_DEFPUSHBUTTON: u32 = 0x0001;
const WS_EX_CLIENTEDGE: u32 = 0x0200;
const WS_EX_DLGMODALFRAME: u32 = 0x0001;
const POPUP_CAPTION: u32 = 0x8000_0000 | 0x00C0_0000 | 0x0008_0000; // WS_POPUP|CAPTION|SYSMENU
const CB_ADDSTRING: u32 = 0x0143;
const CB_GETCURSEL: u32 = 0x0147;
const CB_SETCURSEL: u32 = 0x014E;
const CB_FINDSTRINGEXACT: u32 = 0x0158;
const CBN_SELCHANGE: u32 = 1;
const TCM_INSERTITEMW: u32 = 0x133E;
const TCM_GETCURSEL: u32 = 0x130B;
const TCN_SELCHANGE: u32 = (-551i32) as u32;
const TCIF_TEXT: u32 = 1;
const ICC_TAB_CLASSES: u32 = 0x0008;
const SET_FONT: u32 = 0x0030;
const DEFAULT_GUI_FONT: i32 = 17;
const HOLLOW_BRUSH: i32 = 5;
const TRANSPARENT: i32 = 1;
const CTLCOLOR_STATIC: u32 = 0x0138;
const COLOR_BTNFACE: usize = 15;
const MB_OK_INFO: u32 = 0x40;
const MB_OK_ERROR: u32 = 0x10;
const ID_OK: usize = 1;
const ID_CANCEL: usize = 2;
const ID_TEST: usize = 10;
const ID_SIGN_IN: usize = 11;
const ID_TABS: usize = 12;
const ID_AUTH: usize = 13;

// the layout, in pixels
const WIDTH: i32 = 600;
const HEIGHT: i32 = 500;
const ROW: i32 = 27;
const TAB_TOP: i32 = 48;
const TAB_HEIGHT: i32 = 360;
const TITLE: &str = "Pipedrive DSN";

/// One property's row: its label and its edit field or list.
struct Field {
    key: &'static Key,
    label: HWND,
    input: HWND,
}

/// The open dialog.
struct Form {
    window: HWND,
    tabs: HWND,
    name: HWND,
    fields: Vec<Field>,
    sign_in: HWND,
    driver: String,
    scope: Scope,
    /// The name the DSN had when the dialog opened (a new name renames it).
    old_name: Option<String>,
    /// Stored properties the dialog has no field for, kept as they were.
    kept: Properties,
    outcome: Option<Result<(), SetupError>>,
}

thread_local! {
    static FORM: RefCell<Option<Form>> = const { RefCell::new(None) };
}

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(Some(0)).collect()
}

/// Opens the dialog over `parent` and returns when it closes: `Ok` once the DSN is saved, an
/// error (USER_CANCELED) when it was cancelled.
///
/// # Safety
/// `parent` is a window of this thread's application.
pub unsafe fn run(
    parent: *mut c_void,
    request: DsnRequest,
    driver: &str,
    attributes: &Properties,
) -> Result<(), SetupError> {
    let installer = installer().ok_or_else(|| {
        SetupError::new(
            Code::General,
            "odbccp32.dll, the installer library, cannot be loaded",
        )
    })?;
    let scope = installer.config_scope();
    let old_name = attributes.get("DSN").map(|s| s.trim().to_string());
    let stored = match (&old_name, request) {
        (Some(name), DsnRequest::Configure) => installer.dsn_in(scope, name),
        _ => None,
    };
    let values = attributes.clone().or(&stored.unwrap_or_default());
    let mut kept = Properties::new();
    for (k, v) in values.iter() {
        let shown = KEYS
            .iter()
            .any(|key| key.page != Page::None && key.name.eq_ignore_ascii_case(k));
        if !shown && !["DSN", "Driver"].iter().any(|d| d.eq_ignore_ascii_case(k)) {
            kept.set(k, v);
        }
    }
    let form = create(parent, driver, scope, &values)?;
    let window = form.window;
    FORM.with(|f| {
        *f.borrow_mut() = Some(Form {
            old_name: old_name.filter(|_| request == DsnRequest::Configure),
            kept,
            outcome: None,
            ..form
        })
    });
    with_form(|f| {
        arrange(f);
        SetFocus(first_empty(f));
    });
    EnableWindow(parent, 0);
    let mut msg: MSG = std::mem::zeroed();
    while with_form(|f| f.outcome.is_none())
        && GetMessageW(&mut msg, std::ptr::null_mut(), 0, 0) > 0
    {
        if IsDialogMessageW(window, &msg) == 0 {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
    }
    EnableWindow(parent, 1);
    SetForegroundWindow(parent);
    DestroyWindow(window);
    FORM.with(|f| f.borrow_mut().take())
        .and_then(|f| f.outcome)
        .unwrap_or_else(|| Err(SetupError::new(Code::UserCanceled, "the dialog was closed")))
}

/// Runs `work` on the open form (borrowed only for that call: a message box opened by the
/// dialog's own handlers dispatches messages to the dialog again).
fn with_form<T: Default>(work: impl FnOnce(&mut Form) -> T) -> T {
    FORM.with(|f| match f.try_borrow_mut() {
        Ok(mut form) => form.as_mut().map(work).unwrap_or_default(),
        Err(_) => T::default(),
    })
}

/// Creates the window and its controls, filled with `values`.
unsafe fn create(
    parent: HWND,
    driver: &str,
    scope: Scope,
    values: &Properties,
) -> Result<Form, SetupError> {
    let instance = GetModuleHandleW(std::ptr::null());
    let controls = INITCOMMONCONTROLSEX {
        dwSize: std::mem::size_of::<INITCOMMONCONTROLSEX>() as u32,
        dwICC: ICC_TAB_CLASSES,
    };
    InitCommonControlsEx(&controls);
    let class = wide("PipedriveOdbcDsnDialog");
    let wc = WNDCLASSEXW {
        cbSize: std::mem::size_of::<WNDCLASSEXW>() as u32,
        style: 0,
        lpfnWndProc: Some(window_proc),
        cbClsExtra: 0,
        cbWndExtra: 0,
        hInstance: instance,
        hIcon: std::ptr::null_mut(),
        hCursor: LoadCursorW(std::ptr::null_mut(), IDC_ARROW),
        hbrBackground: (COLOR_BTNFACE + 1) as _,
        lpszMenuName: std::ptr::null(),
        lpszClassName: class.as_ptr(),
        hIconSm: std::ptr::null_mut(),
    };
    // a second registration (the dialog opened again) fails harmlessly
    RegisterClassExW(&wc);
    let title = wide(&format!("{TITLE} ({} data source)", scope.name()));
    let window = CreateWindowExW(
        WS_EX_DLGMODALFRAME,
        class.as_ptr(),
        title.as_ptr(),
        POPUP_CAPTION,
        120,
        80,
        WIDTH,
        HEIGHT,
        parent,
        std::ptr::null_mut(),
        instance,
        std::ptr::null(),
    );
    if window.is_null() {
        return Err(SetupError::new(
            Code::General,
            "the dialog's window cannot be created",
        ));
    }
    let font = GetStockObject(DEFAULT_GUI_FONT);
    let control = |class: &str, text: &str, style: u32, ex: u32, id: usize| {
        let (class, text) = (wide(class), wide(text));
        let h = CreateWindowExW(
            ex,
            class.as_ptr(),
            text.as_ptr(),
            CHILD | style,
            0,
            0,
            10,
            10,
            window,
            id as _,
            instance,
            std::ptr::null(),
        );
        SendMessageW(h, SET_FONT, font as WPARAM, 1);
        h
    };
    let name_label = control("STATIC", "Data source &name:", 0, 0, 0);
    place(name_label, 16, 18, 150, 20);
    let name = control(
        "EDIT",
        values.get("DSN").unwrap_or_default(),
        TABSTOP | ES_AUTOHSCROLL,
        WS_EX_CLIENTEDGE,
        0,
    );
    place(name, 170, 14, 300, 22);
    let tabs = control("SysTabControl32", "", TABSTOP | CLIP_SIBLINGS, 0, ID_TABS);
    place(tabs, 10, TAB_TOP, WIDTH - 30, TAB_HEIGHT);
    for (i, page) in ["Connection", "Advanced"].iter().enumerate() {
        let mut text = wide(page);
        let item = TCITEMW {
            mask: TCIF_TEXT,
            dwState: 0,
            dwStateMask: 0,
            pszText: text.as_mut_ptr(),
            cchTextMax: text.len() as i32,
            iImage: -1,
            lParam: 0,
        };
        SendMessageW(tabs, TCM_INSERTITEMW, i, &item as *const TCITEMW as LPARAM);
    }
    let mut fields = vec![];
    for key in KEYS.iter().filter(|k| k.page != Page::None) {
        let label = control("STATIC", &format!("{}:", key.name), 0, 0, 0);
        let value = values.get(key.name).unwrap_or_default();
        let id = if key.name == "AuthScheme" { ID_AUTH } else { 0 };
        let input = match key.input {
            Input::Text | Input::Secret => {
                let masked = if key.input == Input::Secret {
                    ES_PASSWORD
                } else {
                    0
                };
                control(
                    "EDIT",
                    value,
                    TABSTOP | ES_AUTOHSCROLL | masked,
                    WS_EX_CLIENTEDGE,
                    id,
                )
            }
            Input::Choice(choices) => {
                let list = control(
                    "COMBOBOX",
                    "",
                    TABSTOP | CBS_DROPDOWNLIST | WS_VSCROLL_STYLE,
                    0,
                    id,
                );
                // "" leaves the property unset (the driver's default), except AuthScheme
                let unset = key.name != "AuthScheme";
                for choice in unset
                    .then_some("")
                    .into_iter()
                    .chain(choices.iter().copied())
                {
                    let text = wide(choice);
                    SendMessageW(list, CB_ADDSTRING, 0, text.as_ptr() as LPARAM);
                }
                let wanted = wide(value);
                let at = SendMessageW(
                    list,
                    CB_FINDSTRINGEXACT,
                    usize::MAX,
                    wanted.as_ptr() as LPARAM,
                );
                SendMessageW(list, CB_SETCURSEL, at.max(0) as usize, 0);
                list
            }
        };
        fields.push(Field { key, label, input });
    }
    let button = |text: &str, id: usize, style: u32, x: i32| {
        let h = control("BUTTON", text, TABSTOP | style, 0, id);
        place(h, x, TAB_TOP + TAB_HEIGHT + 16, 120, 28);
        h
    };
    button("&Test Connection", ID_TEST, 0, 16);
    let sign_in = button("&Sign in", ID_SIGN_IN, 0, 146);
    button("OK", ID_OK, BS_DEFPUSHBUTTON, WIDTH - 280);
    button("Cancel", ID_CANCEL, 0, WIDTH - 150);
    ShowWindow(window, 5);
    Ok(Form {
        window,
        tabs,
        name,
        fields,
        sign_in,
        driver: driver.to_string(),
        scope,
        old_name: None,
        kept: Properties::new(),
        outcome: None,
    })
}

unsafe fn place(h: HWND, x: i32, y: i32, w: i32, height: i32) {
    SetWindowPos(
        h,
        std::ptr::null_mut(),
        x,
        y,
        w,
        height,
        0x0004, /* SWP_NOZORDER */
    );
}

/// Shows the rows of the current tab (on Connection, those of the chosen `AuthScheme`), one
/// column on Connection and two on Advanced, and hides the others.
unsafe fn arrange(form: &mut Form) {
    let page = match SendMessageW(form.tabs, TCM_GETCURSEL, 0, 0) {
        1 => Page::Advanced,
        _ => Page::Connection,
    };
    let scheme = auth_scheme(form);
    let (mut row, top) = (0, TAB_TOP + 36);
    let per_column = 11;
    for f in &form.fields {
        let shown =
            f.key.page == page && f.key.auth.is_none_or(|a| a.eq_ignore_ascii_case(&scheme));
        let show = if shown { 5 } else { 0 };
        ShowWindow(f.label, show);
        ShowWindow(f.input, show);
        if !shown {
            continue;
        }
        let (x, label_width, input_width, y) = match page {
            Page::Advanced => {
                let column = row / per_column;
                let y = top + (row % per_column) * ROW;
                (24 + column * 280, 145, 120, y)
            }
            _ => (24, 170, 360, top + row * ROW),
        };
        place(f.label, x, y + 4, label_width, 20);
        let height = if matches!(f.key.input, Input::Choice(_)) {
            160
        } else {
            22
        };
        place(f.input, x + label_width, y, input_width, height);
        row += 1;
    }
    EnableWindow(form.sign_in, i32::from(scheme == "OAuth"));
}

/// The `AuthScheme` chosen in the list.
unsafe fn auth_scheme(form: &Form) -> String {
    form.fields
        .iter()
        .find(|f| f.key.name == "AuthScheme")
        .map(|f| value_of(f))
        .unwrap_or_else(|| "Basic".into())
}

/// The first field that still needs typing: the name, else the credential of the scheme.
unsafe fn first_empty(form: &Form) -> HWND {
    if text_of(form.name).trim().is_empty() {
        return form.name;
    }
    let wanted = match auth_scheme(form).as_str() {
        "OAuth" => "OAuthClientId",
        _ => "APIToken",
    };
    form.fields
        .iter()
        .find(|f| f.key.name == wanted && value_of(f).is_empty())
        .map_or(form.name, |f| f.input)
}

unsafe fn text_of(h: HWND) -> String {
    let mut buffer = vec![0u16; 4096];
    let n = GetWindowTextW(h, buffer.as_mut_ptr(), buffer.len() as i32);
    String::from_utf16_lossy(&buffer[..n.max(0) as usize])
}

/// A field's value: the text typed, or the entry chosen in a list.
unsafe fn value_of(f: &Field) -> String {
    match f.key.input {
        Input::Choice(choices) => {
            let at = SendMessageW(f.input, CB_GETCURSEL, 0, 0);
            let offset = usize::from(f.key.name != "AuthScheme");
            match usize::try_from(at) {
                Ok(i) if i >= offset => choices.get(i - offset).copied().unwrap_or_default(),
                _ => "",
            }
            .to_string()
        }
        _ => text_of(f.input).trim().to_string(),
    }
}

/// What the dialog holds, as a DSN's properties (empty fields left out).
unsafe fn typed(form: &Form) -> (String, Properties) {
    let mut props = form.kept.clone();
    for f in &form.fields {
        let v = value_of(f);
        if !v.is_empty() {
            props.set(f.key.name, v);
        }
    }
    (text_of(form.name).trim().to_string(), props)
}

unsafe extern "system" fn window_proc(
    window: HWND,
    message: u32,
    wparam: WPARAM,
    lparam: LPARAM,
) -> LRESULT {
    match message {
        WM_COMMAND => {
            let (id, code) = (wparam & 0xFFFF, (wparam >> 16) as u32 & 0xFFFF);
            match (id, code) {
                (ID_AUTH, CBN_SELCHANGE) => with_form(|f| arrange(f)),
                (ID_OK, _) => save(),
                (ID_CANCEL, _) => close(Err(SetupError::new(
                    Code::UserCanceled,
                    "the DSN was not saved: the dialog was cancelled",
                ))),
                (ID_TEST, _) => test_connection(false),
                (ID_SIGN_IN, _) => test_connection(true),
                _ => {}
            }
            0
        }
        WM_NOTIFY => {
            let header = &*(lparam as *const windows_sys::Win32::UI::Controls::NMHDR);
            if header.idFrom == ID_TABS && header.code == TCN_SELCHANGE {
                with_form(|f| arrange(f));
            }
            0
        }
        // labels take the colour of what is behind them (the window, or the tab's page)
        CTLCOLOR_STATIC => {
            SetBkMode(wparam as HDC, TRANSPARENT);
            GetStockObject(HOLLOW_BRUSH) as LRESULT
        }
        WM_CLOSE => {
            close(Err(SetupError::new(
                Code::UserCanceled,
                "the DSN was not saved: the dialog was closed",
            )));
            0
        }
        _ => DefWindowProcW(window, message, wparam, lparam),
    }
}

fn close(outcome: Result<(), SetupError>) {
    with_form(|f| f.outcome = Some(outcome));
}

/// OK: checks and saves the DSN (renamed: the old name is removed), or says what is wrong and
/// stays open.
unsafe fn save() {
    let Some((window, name, props, driver, scope, old)) = with_form(|f| {
        let (name, props) = typed(f);
        Some((
            f.window,
            name,
            props,
            f.driver.clone(),
            f.scope,
            f.old_name.clone(),
        ))
    }) else {
        return;
    };
    let Some(installer) = installer() else {
        return;
    };
    // the DSN is saved whole: keys of a stored DSN of that name that the dialog dropped go
    let replaced = installer.dsn_in(scope, &name);
    let saved =
        save_dsn(installer, scope, &name, &driver, &props, replaced.as_ref()).and_then(|()| {
            match old.filter(|o| !o.eq_ignore_ascii_case(&name)) {
                Some(old) => installer
                    .remove_dsn(scope, &old)
                    .map(|_| ())
                    .map_err(|e| SetupError::new(Code::RequestFailed, e)),
                None => Ok(()),
            }
        });
    match saved {
        Ok(()) => close(Ok(())),
        Err(e) => message(
            window,
            "Pipedrive: the DSN was not saved",
            &e.message,
            false,
        ),
    }
}

/// Test Connection (or Sign in, which runs the desktop sign-in first): connects with what is
/// typed and shows who is signed in, or the error with its SQLSTATE.
unsafe fn test_connection(sign_in: bool) {
    let Some((window, mut props)) = with_form(|f| Some((f.window, typed(f).1))) else {
        return;
    };
    if sign_in {
        props.set("InitiateOAuth", "GETANDREFRESH");
    }
    let wait = SetCursor(LoadCursorW(std::ptr::null_mut(), IDC_WAIT));
    let answer = conn::open(&props, 60, tracing::Span::none()).and_then(|session| {
        let sql = "SELECT Name, Email, CompanyName FROM CurrentUsers";
        let batches = crate::runtime::wait(
            async {
                session
                    .query(sql)
                    .await
                    .map_err(crate::diag::OdbcError::from)
            },
            None,
            None,
        )?;
        Ok(signed_in(&batches))
    });
    SetCursor(wait);
    let what = if sign_in { "sign-in" } else { "connection" };
    match answer {
        Ok(who) => message(
            window,
            &format!("Pipedrive: {what} succeeded"),
            &format!("Connected to Pipedrive as {who}."),
            true,
        ),
        Err(e) => message(
            window,
            &format!("Pipedrive: {what} failed ({})", e.state),
            &format!("[{}] {}", e.state, e.message),
            false,
        ),
    }
}

/// "name <email> of company", from the first row of CurrentUsers.
fn signed_in(batches: &[pipedrive_engine::arrow::record_batch::RecordBatch]) -> String {
    let Some(batch) = batches.iter().find(|b| b.num_rows() > 0) else {
        return "a user the API did not describe".into();
    };
    let cell = |i: usize| {
        ArrayFormatter::try_new(batch.column(i).as_ref(), &FormatOptions::default())
            .map(|f| f.value(0).to_string())
            .unwrap_or_default()
    };
    format!("{} <{}> of {}", cell(0), cell(1), cell(2))
}

unsafe fn message(window: HWND, title: &str, text: &str, good: bool) {
    let (title, text) = (wide(title), wide(text));
    let style = if good { MB_OK_INFO } else { MB_OK_ERROR };
    MessageBoxW(window, text.as_ptr(), title.as_ptr(), style);
}
